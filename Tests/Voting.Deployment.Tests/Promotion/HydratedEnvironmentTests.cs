using System.Text.Json;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// The committed environments/ folders are what CD wrote, not hand edits: each manifest.yaml is its overlay as of
/// the source commit its hydrator.metadata names, rendered with the images it lists. Needs the repository's history
/// (a clone, or a checkout with fetch-depth 0).
/// </summary>
public sealed class HydratedEnvironmentTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Each_environment_is_its_overlay_rendered_at_the_source_commit_it_names(string environment)
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl", "node", "npm");

        var folder = Path.Combine(Repository.Root, "gitops-manifests", "environments", environment);
        var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "hydrator.metadata"), TestContext.Current.CancellationToken)).RootElement;
        var drySha = metadata.GetProperty("drySha").GetString()!;
        var images = metadata.GetProperty("images").EnumerateArray().Select(i => i.GetString()!).ToArray();
        Assert.Equal(environment, metadata.GetProperty("environment").GetString());

        var known = await Script.RunAsync("git", ["cat-file", "-e", $"{drySha}^{{commit}}"]);
        Assert.True(known.ExitCode == 0,
            $"environments/{environment} names source commit {drySha}, which this clone lacks (a shallow checkout? fetch the history).");

        var worktree = Path.Combine(Path.GetTempPath(), $"voting-hydrated-{Guid.NewGuid():N}");
        await Script.RunCheckedAsync("git", Repository.Root, "worktree", "add", "--quiet", "--detach", worktree, drySha);
        try
        {
            var overlay = Path.Combine(worktree, "gitops-manifests", "overlays", environment);
            var set = await Script.RunAsync(Script.Path("set-image-tags.sh"), [overlay, .. images]);
            Assert.True(set.ExitCode == 0, set.ToString());
            var render = await Script.RunAsync("kubectl", ["kustomize", overlay]);
            Assert.True(render.ExitCode == 0, render.ToString());

            Assert.True(render.Output == await File.ReadAllTextAsync(Path.Combine(folder, "manifest.yaml"), TestContext.Current.CancellationToken),
                $"gitops-manifests/environments/{environment}/manifest.yaml is not overlays/{environment} at {drySha[..7]} with its images: "
                + "it was edited by hand. Only .github/scripts/hydrate-environment.sh (dev) and promote.sh (prod) write it.");
        }
        finally
        {
            await Script.RunAsync("git", ["worktree", "remove", "--force", worktree]);
        }
    }
}
