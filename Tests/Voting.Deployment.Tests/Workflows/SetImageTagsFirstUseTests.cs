
namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// The first use of set-image-tags.sh's YAML fallback installs its one npm package. Several runs may start together
/// (the test suite runs them in parallel); none may see another's half-installed node_modules. Runs on a private copy
/// of the script with no node_modules yet, and with kustomize hidden from PATH so the fallback is what runs.
/// </summary>
public sealed class SetImageTagsFirstUseTests
{
    private const int Runs = 6;

    [Fact]
    public async Task Runs_that_start_together_on_a_fresh_checkout_all_succeed()
    {
        RequiredTools.Require("bash", "git", "kubectl", "node", "npm");

        var scripts = Directory.CreateTempSubdirectory("voting-set-image-tags-").FullName;
        var repositories = new List<TempGitRepository>();
        try
        {
            var script = CopyScriptWithoutItsPackages(scripts);
            var environment = new Dictionary<string, string> { ["PATH"] = PathWithout("kustomize") };
            for (var i = 0; i < Runs; i++)
            {
                repositories.Add(await TempGitRepository.CreateAsync(MinimalOverlays.Files));
            }

            // Staggered starts: each run meets the others at a different stage of the install.
            var runs = repositories.Select(async (repo, i) =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * i));
                return await Script.RunAsync(
                    "bash", [script, "gitops-manifests/overlays/dev", $"voting/api=myacr.azurecr.io/voting/api:v{i}"], repo.Path, environment);
            });
            var results = await Task.WhenAll(runs);

            Assert.All(results, result => Assert.True(result.ExitCode == 0, result.ToString()));
            Assert.All(repositories.Select((repo, i) => (repo, i)), run =>
                Assert.Contains($"newTag: v{run.i}\n", run.repo.Read(MinimalOverlays.DevKustomization), StringComparison.Ordinal));
            // Nothing is left behind but the one installed node_modules.
            Assert.Equal(
                ["install.sh", "list-images.mjs", "node_modules", "package-lock.json", "package.json", "set-image.mjs"],
                Directory.EnumerateFileSystemEntries(Path.Combine(scripts, "kustomize-set-image")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            repositories.ForEach(repo => repo.Dispose());
            Directory.Delete(scripts, recursive: true);
        }
    }

    private static string CopyScriptWithoutItsPackages(string destination)
    {
        var editor = Path.Combine(destination, "kustomize-set-image");
        Directory.CreateDirectory(editor);
        foreach (var file in new[] { "install.sh", "list-images.mjs", "package.json", "package-lock.json", "set-image.mjs" })
        {
            File.Copy(Path.Combine(Path.GetDirectoryName(Script.Path("set-image-tags.sh"))!, "kustomize-set-image", file), Path.Combine(editor, file));
        }

        var script = Path.Combine(destination, "set-image-tags.sh");
        File.Copy(Script.Path("set-image-tags.sh"), script);
        File.Copy(Script.Path("common.sh"), Path.Combine(destination, "common.sh"));
        return script;
    }

    private static string PathWithout(string program) => string.Join(
        Path.PathSeparator,
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(folder => !File.Exists(Path.Combine(folder, program))));
}
