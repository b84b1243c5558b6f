using System.Collections.Concurrent;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// What an environment must hold, worked out independently of the scripts: the overlay as git holds it at a source
/// commit, rendered by kubectl's kustomize with each image set by name (a digest, or a tag), through a kustomization of
/// the test's own. Remembered by the source's tree, the environment and the images, for the whole test run.
/// (Its kustomization is written as render_environment writes its own, so that the render cache answers it when the
/// scripts rendered the same input: a script that rendered anything else misses, and kubectl renders the truth.)
/// </summary>
public static class ExpectedRendering
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Renderings = new(StringComparer.Ordinal);

    public static async Task<string> OfAsync(GitOpsRepository repo, string sourceSha, string environment, IReadOnlyList<string> images)
    {
        var tree = await repo.TreeAsync($"{sourceSha}:gitops-manifests");
        var key = $"{tree} {environment} {string.Join(' ', images.Order(StringComparer.Ordinal))}";
        return await Renderings.GetOrAdd(key, _ => new Lazy<Task<string>>(() => RenderAsync(repo.Origin, sourceSha, environment, images))).Value;
    }

    private static async Task<string> RenderAsync(string gitDirectory, string sourceSha, string environment, IReadOnlyList<string> images)
    {
        var work = ScratchSpace.NewFolder("voting-expected-");
        try
        {
            await Script.RunCheckedAsync("bash", work, "-c", $"git --git-dir='{gitDirectory}' archive {sourceSha} gitops-manifests | tar -x");
            var kustomization = new System.Text.StringBuilder($"resources:\n- ../gitops-manifests/overlays/{environment}\nimages:\n");
            foreach (var image in images)
            {
                var (name, reference) = (image[..image.IndexOf('=', StringComparison.Ordinal)], image[(image.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                var at = reference.IndexOf('@', StringComparison.Ordinal);
                kustomization.Append(at >= 0
                    ? $"- name: \"{name}\"\n  newName: \"{reference[..at]}\"\n  digest: \"{reference[(at + 1)..]}\"\n"
                    : $"- name: \"{name}\"\n  newName: \"{reference[..reference.LastIndexOf(':')]}\"\n  newTag: \"{reference[(reference.LastIndexOf(':') + 1)..]}\"\n");
            }

            // Rendered through the test run's render cache: what the scripts rendered from the same input is not rendered again.
            Directory.CreateDirectory(Path.Combine(work, "expected"));
            await File.WriteAllTextAsync(Path.Combine(work, "expected", "kustomization.yaml"), kustomization.ToString());
            var rendered = await Script.RunAsync("kubectl", ["kustomize", "expected"], work, new Dictionary<string, string> { ["PATH"] = RenderCache.ScriptPath });
            Assert.True(rendered.ExitCode == 0, rendered.ToString());
            return rendered.Output;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
