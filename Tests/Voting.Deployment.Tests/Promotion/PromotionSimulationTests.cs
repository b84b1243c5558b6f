
namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// Pull mode end to end against local git remotes: builds reach dev; the operator reports dev's deployment as a
/// commit status (recorded GitHub <c>status</c> event payloads, with the contexts, states and descriptions our
/// generated Argo CD Notifications and Flux Provider produce); promote.sh proposes prod for exactly that revision,
/// and nothing for a failure, another environment, or a commit main never had. The payloads are recorded because no
/// Argo CD, Flux or GitHub can run here; everything else (git, kustomize rendering, the scripts) is real.
/// </summary>
public sealed class PromotionSimulationTests
{
    private static readonly string[] BuildX =
    [
        "voting/api=myacr.azurecr.io/voting/api@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "voting/web=myacr.azurecr.io/voting/web@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    ];

    private static readonly string[] BuildY =
    [
        "voting/api=myacr.azurecr.io/voting/api@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
        "voting/web=myacr.azurecr.io/voting/web@sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
    ];

    [Theory]
    [InlineData("argocd-deployed.json")]
    [InlineData("flux-reconciled.json")]
    public async Task A_healthy_dev_deployment_of_X_proposes_prod_for_X_and_no_other_revision(string payload)
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl", "node", "npm");

        using var repo = await GitOpsRepository.CreateAsync();
        var x = await repo.HydrateDevAsync(BuildX);
        var y = await repo.HydrateDevAsync(BuildY); // a newer build is in dev already, but the status is for X

        var result = await repo.PromoteAsync(payload, x);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("proposed=true", result.Output, StringComparison.Ordinal);
        Assert.NotNull(await repo.PromotionBranchAsync());
        var metadata = GitOpsRepository.Metadata(await repo.ShowAsync("origin/promote/prod", "gitops-manifests/environments/prod/hydrator.metadata"));
        Assert.Equal(x, metadata.GetProperty("promotedFrom").GetProperty("revision").GetString());
        Assert.Equal("continuous-delivery/voting-dev", metadata.GetProperty("promotedFrom").GetProperty("status").GetProperty("context").GetString());
        var images = metadata.GetProperty("images").EnumerateArray().Select(i => i.GetString()!).ToList();
        Assert.Equal(BuildX, images.Where(i => i.StartsWith("voting/", StringComparison.Ordinal)));
        Assert.Single(images, i => i.StartsWith("redis=", StringComparison.Ordinal)); // dev's Redis too, as it runs there
        var manifest = await repo.ShowAsync("origin/promote/prod", "gitops-manifests/environments/prod/manifest.yaml");
        Assert.All(BuildX, image => Assert.Contains($"image: {image[(image.IndexOf('=', StringComparison.Ordinal) + 1)..]}\n", manifest, StringComparison.Ordinal));
        Assert.All(BuildY, image => Assert.DoesNotContain(image[(image.IndexOf('=', StringComparison.Ordinal) + 1)..], manifest, StringComparison.Ordinal));
        // The pull request changes prod's hydrated folder and the images its overlay records, and nothing else.
        var changed = await repo.Clone.GitAsync("diff", "--name-only", y, "origin/promote/prod");
        Assert.Equal(
            ["gitops-manifests/environments/prod/README.md", "gitops-manifests/environments/prod/hydrator.metadata",
             "gitops-manifests/environments/prod/manifest.yaml", "gitops-manifests/overlays/prod/kustomization.yaml"],
            changed.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("argocd-degraded.json")]
    [InlineData("flux-health-check-failed.json")]
    [InlineData("argocd-deployed-prod.json")]
    public async Task An_unhealthy_dev_or_another_environments_status_proposes_nothing(string payload)
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl", "node", "npm");

        using var repo = await GitOpsRepository.CreateAsync();
        var x = await repo.HydrateDevAsync(BuildX);

        var result = await repo.PromoteAsync(payload, x);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("proposed=false", result.Output, StringComparison.Ordinal);
        Assert.Null(await repo.PromotionBranchAsync());
    }

    [Fact]
    public async Task A_status_for_a_commit_that_is_not_on_main_is_refused()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl", "node", "npm");

        using var repo = await GitOpsRepository.CreateAsync();
        await repo.HydrateDevAsync(BuildX);
        await repo.Clone.GitAsync("checkout", "--quiet", "-b", "feature");
        repo.Clone.Write("gitops-manifests/environments/dev/manifest.yaml", "# anything a branch could hold\n");
        await repo.Clone.GitAsync("commit", "--quiet", "-am", "Not reviewed");
        await repo.Clone.GitAsync("push", "--quiet", "origin", "feature");
        var feature = (await repo.Clone.GitAsync("rev-parse", "HEAD")).Trim();
        await repo.Clone.GitAsync("checkout", "--quiet", "main");

        var result = await repo.PromoteAsync("argocd-deployed.json", feature);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not on main", result.Error, StringComparison.Ordinal);
        Assert.Null(await repo.PromotionBranchAsync());
    }

    [Fact]
    public async Task Once_merged_the_same_status_proposes_nothing_again()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl", "node", "npm");

        using var repo = await GitOpsRepository.CreateAsync();
        var x = await repo.HydrateDevAsync(BuildX);
        Assert.Equal(0, (await repo.PromoteAsync("argocd-deployed.json", x)).ExitCode);
        await repo.MergePromotionAsync();
        await repo.Clone.GitAsync("push", "--quiet", "origin", "--delete", "promote/prod");

        var again = await repo.PromoteAsync("flux-reconciled.json", x);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("prod already runs", again.Output, StringComparison.Ordinal);
        Assert.Null(await repo.PromotionBranchAsync());
    }
}
