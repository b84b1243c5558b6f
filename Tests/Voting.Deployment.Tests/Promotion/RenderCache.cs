namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// A folder to put first on the scripts' PATH: its <c>kubectl</c> (and <c>kustomize</c>) answer <c>kubectl kustomize
/// DIR</c> from a cache keyed by everything that rendering reads: DIR's kustomization.yaml, with the overlay's path made
/// relative to its gitops-manifests folder, and every file of that folder. The promotion tests render the same few
/// inputs again and again (each sequence of the model test starts from the same repository), so a miss is rare; it is
/// rendered by the real kubectl, as is anything else. One cache serves the whole test run.
/// </summary>
public static class RenderCache
{
    private static readonly Lazy<string> Folder = new(Create);

    /// <summary>The PATH the scripts run with: the caching kubectl first.</summary>
    public static string ScriptPath => $"{Folder.Value}{System.IO.Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";

    /// <summary>The real kubectl, found on PATH.</summary>
    public static string RealKubectl { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => System.IO.Path.Combine(folder, "kubectl")).FirstOrDefault(File.Exists) ?? "kubectl";

    private static string Create()
    {
        var bin = ScratchSpace.NewFolder("voting-render-cache-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(bin, recursive: true);
        var cache = Directory.CreateDirectory(System.IO.Path.Combine(bin, "cache")).FullName;
        var wrapper = $$"""
            #!/usr/bin/env bash
            # kubectl kustomize DIR (or kustomize build DIR), answered from a cache keyed by what the rendering reads.
            set -euo pipefail
            [[ $# == 2 && ($1 == kustomize || $1 == build) && -f $2/kustomization.yaml ]] || exec "{{RealKubectl}}" "$@"
            kustomization=$(<"$2/kustomization.yaml")
            resource=${kustomization#*$'\n'- }
            resource=${resource%%$'\n'*}
            overlay=$(cd "$2/$resource" 2>/dev/null && pwd) || exec "{{RealKubectl}}" kustomize "$2"
            [[ $overlay == */gitops-manifests/* ]] || exec "{{RealKubectl}}" kustomize "$2"
            root=${overlay%/gitops-manifests/*}/gitops-manifests
            key=$({ printf '%s\n' "${kustomization/"$resource"/"${overlay#"$root"/}"}"
                tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c .; } | sha1sum)
            cached={{cache}}/${key%% *}
            if [[ ! -f $cached ]]; then
                "{{RealKubectl}}" kustomize "$2" >"$cached.$$"
                mv "$cached.$$" "$cached"
            fi
            cat "$cached"

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
        foreach (var name in new[] { "kubectl", "kustomize" })
        {
            var file = System.IO.Path.Combine(bin, name);
            File.WriteAllText(file, wrapper);
            Script.MakeExecutable(file);
        }

        return bin;
    }
}
