namespace Voting.AppHost.Kubernetes;

/// <summary>
/// The rendered files, by path relative to gitops-manifests/. Owns the serializer and the writing, so the same
/// model always gives the same bytes: sorted paths, LF line ends, no timestamps.
/// </summary>
public sealed class ManifestSet
{
    /// <summary>The folders this generator owns; YAML files in them that it no longer renders are deleted.</summary>
    public static readonly IReadOnlyList<string> OwnedFolders = ["base", "overlays", "argocd", "flux", "platform"];

    private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Files => _files;

    /// <summary>Adds a file: YAML text as it is, anything else serialized.</summary>
    public void Add(string path, object content) => _files.Add(path, content as string ?? Serialize(content));

    public static string Serialize(object content)
    {
        var yaml = KubernetesYaml.Serialize(content).Replace("\r\n", "\n", StringComparison.Ordinal);
        return yaml.TrimEnd('\n') + "\n";
    }

    public void WriteTo(string directory)
    {
        foreach (var folder in OwnedFolders.Select(f => Path.Combine(directory, f)).Where(Directory.Exists))
        {
            foreach (var stale in Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories)
                .Where(file => !_files.ContainsKey(Path.GetRelativePath(directory, file).Replace('\\', '/'))))
            {
                File.Delete(stale);
            }
        }

        foreach (var (path, text) in _files)
        {
            var file = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }
    }
}
