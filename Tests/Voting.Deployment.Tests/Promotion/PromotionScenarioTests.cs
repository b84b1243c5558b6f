using System.Security.Cryptography;
using System.Text;
using Voting.Deployment.Tests.Workflows;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// Pull mode, one situation at a time, against local bare git remotes with the real scripts: builds reach dev through
/// cd-gitops.yml's hydration; the operator reports dev's deployment as a commit status (recorded payloads, as our Argo CD
/// Notifications and Flux Provider send them); promote-prod.yml proposes prod, and keeps the promotion check honest.
/// GitHub is played by <see cref="FakeGitHub"/>, the smoke test by a predicate (no cluster runs here); git, the
/// rendering and the scripts are real. <c>PromotionModelTests</c> drives random interleavings of the same steps.
/// </summary>
public sealed class PromotionScenarioTests
{
    [Theory]
    [InlineData("argocd-deployed.json")]
    [InlineData("flux-reconciled.json")]
    public async Task A_proposal_is_prods_overlay_at_the_source_commit_dev_ran_with_devs_images_whatever_main_holds_since(string payload)
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var s0 = await repo.RevParseAsync("origin/main");
        await github.CdDevAsync(s0, Build("b0"));
        var devHead = (await repo.HeadAsync("environments/dev"))!;

        // Merged since, not built yet: the Api's CPU request (the base) and prod's replicas (prod's overlay).
        await repo.CommitToMainAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("321m"), "Api: more CPU");
        await repo.CommitToMainAsync(MinimalOverlays.ProdKustomization, MinimalOverlays.Overlay("prod", replicas: 5), "prod: more replicas");
        var run = await github.PromoteProdAsync(github.Report(devHead, payload), devServes: dry => dry == s0);

        Assert.Equal("true", run["proposed"]);
        var proposal = (await repo.HeadAsync("promote/prod"))!;
        var metadata = (await repo.MetadataAsync(proposal))!;
        Assert.Equal(s0, metadata.DrySha);
        Assert.Equal(Build("b0"), metadata.Images);
        Assert.Equal(devHead, metadata.PromotedFromRevision);
        var manifest = await repo.ShowAsync(proposal, "manifest.yaml");
        Assert.Equal(await ExpectedRendering.OfAsync(repo, s0, "prod", Build("b0")), manifest);
        Assert.Contains("cpu: 100m", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("cpu: 321m", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("replicas: 5", manifest, StringComparison.Ordinal);
        // The pull request changes the three hydrated files, on top of prod as it is; its check is green.
        Assert.Equal(await repo.HeadAsync("environments/prod"), await repo.RevParseAsync($"{proposal}^"));
        Assert.Equal(["README.md", "hydrator.metadata", "manifest.yaml"],
            (await repo.GitAsync("diff", "--name-only", $"{proposal}^", proposal)).Trim().Split('\n'));
        Assert.Equal("success", github.CheckOn(proposal)!.State);
        Assert.True(github.PromotionOpen);
    }

    [Theory]
    [InlineData("argocd-degraded.json", "failure")]
    [InlineData("flux-health-check-failed.json", "failure")]
    public async Task A_failed_report_proposes_nothing_and_turns_the_open_proposals_check_red(string payload, string state)
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var devHead = await DevRunsFirstBuildAsync(repo, github);
        var proposal = await ProposeAsync(repo, github, devHead);

        var run = await github.PromoteProdAsync(github.Report(devHead, payload), _ => true);

        Assert.Equal("false", run["proposed"]);
        Assert.Equal(proposal, await repo.HeadAsync("promote/prod"));
        var check = github.CheckOn(proposal)!;
        Assert.Equal(state, check.State);
        Assert.StartsWith("dev is failure on this build", check.Description, StringComparison.Ordinal);
        Assert.Null(await github.MergeAsync(proposal, "merge"));
    }

    [Fact]
    public async Task Without_a_report_on_devs_head_the_check_waits_and_a_dispatch_proposes_nothing()
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var devHead = await DevRunsFirstBuildAsync(repo, github);

        var dispatch = await github.PromoteProdAsync(null, _ => true);
        Assert.Equal("false", dispatch["proposed"]);
        Assert.Contains("dev is pending at", dispatch.Result.Output, StringComparison.Ordinal);

        var check = await repo.PromotionCheckAsync(await ProposeAsync(repo, github, devHead));
        Assert.Equal("pending", check["check-state"]);
        Assert.StartsWith("waiting for dev's report on", check["check-description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_environments_report_proposes_nothing()
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var devHead = await DevRunsFirstBuildAsync(repo, github);

        var run = await github.PromoteProdAsync(github.Report(devHead, "argocd-deployed-prod.json"), _ => true);

        Assert.Equal("false", run["proposed"]);
        Assert.Null(await repo.HeadAsync("promote/prod"));
        Assert.Empty(github.Writes);
    }

    [Fact]
    public async Task A_newer_build_in_dev_turns_the_proposal_red_at_once_and_a_late_report_on_the_older_one_changes_nothing()
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var first = await DevRunsFirstBuildAsync(repo, github);
        var proposal = await ProposeAsync(repo, github, first);

        var s1 = await repo.CommitToMainAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("200m"), "Api: more CPU");
        await github.CdDevAsync(s1, Build("b1"));
        Assert.Equal("failure", github.CheckOn(proposal)!.State);
        Assert.StartsWith("superseded: dev now runs", github.CheckOn(proposal)!.Description, StringComparison.Ordinal);

        var writes = github.Writes.Count;
        var late = await github.PromoteProdAsync(github.Report(first, "flux-reconciled.json"), _ => true);
        Assert.Contains("superseded", late.Result.Output, StringComparison.Ordinal);
        Assert.Equal(writes, github.Writes.Count);
    }

    [Fact]
    public async Task The_same_report_twice_is_acted_on_once()
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var report = github.Report(await DevRunsFirstBuildAsync(repo, github), "flux-reconciled.json");
        await github.PromoteProdAsync(report, _ => true);
        var writes = github.Writes.ToList();

        // Flux reports every reconcile: the same success again, and again as a new status.
        var again = await github.PromoteProdAsync(report, _ => true);
        var reported = await github.PromoteProdAsync(github.Report(report.Sha, "flux-reconciled.json"), _ => true);

        Assert.Equal("false", again["proposed"]);
        Assert.Equal("false", reported["proposed"]);
        Assert.Equal(writes, github.Writes);
    }

    [Fact]
    public async Task Dev_that_does_not_serve_the_source_commit_gets_no_proposal()
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var devHead = await DevRunsFirstBuildAsync(repo, github);

        var run = await github.PromoteProdAsync(github.Report(devHead, "argocd-deployed.json"), devServes: _ => false);

        Assert.Equal("true", run["proposed"]); // what the script would propose, had the smoke test passed
        Assert.Null(await repo.HeadAsync("promote/prod"));
        Assert.Empty(github.Writes);
    }

    [Fact]
    public async Task A_hold_stops_proposals_and_turns_the_open_one_red_until_released()
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var first = await DevRunsFirstBuildAsync(repo, github);
        var proposal = await ProposeAsync(repo, github, first);

        await github.PromoteProdAsync(null, _ => true, holdOrRelease: "incident 42 (held by @someone)");
        Assert.Equal(new Check(proposal, "failure", "prod is on hold: incident 42 (held by @someone)"), github.CheckOn(proposal));
        Assert.Null(await github.MergeAsync(proposal, "merge"));

        var s1 = await repo.CommitToMainAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("200m"), "Api: more CPU");
        await github.CdDevAsync(s1, Build("b1"));
        var held = await github.PromoteProdAsync(github.Report((await repo.HeadAsync("environments/dev"))!, "argocd-deployed.json"), _ => true);
        Assert.Equal("false", held["proposed"]);
        Assert.Contains("prod is on hold (incident 42", held.Result.Output, StringComparison.Ordinal);
        Assert.Equal(proposal, await repo.HeadAsync("promote/prod"));

        var released = await github.PromoteProdAsync(null, _ => true, holdOrRelease: "--release");
        Assert.Equal("true", released["proposed"]);
        Assert.Equal(s1, (await repo.MetadataAsync((await repo.HeadAsync("promote/prod"))!))!.DrySha);
    }

    [Fact]
    public async Task A_reverted_build_is_never_proposed_again_and_a_newer_one_is()
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        Assert.NotNull(await github.MergeAsync(await ProposeAsync(repo, github, await DevRunsFirstBuildAsync(repo, github)), "Promote b0"));
        var s1 = await repo.CommitToMainAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("200m"), "Api: more CPU");
        await github.CdDevAsync(s1, Build("b1"));
        var devHead = (await repo.HeadAsync("environments/dev"))!;
        var merge = await github.MergeAsync(await ProposeAsync(repo, github, devHead), "Promote b1");
        Assert.NotNull(merge);

        // Prod misbehaves on b1: someone reverts the promotion's merge, and the revert's pull request is merged.
        var revert = await repo.RevertCommitAsync(merge);
        await repo.PushAsync(revert, "revert/b1");
        var verify = await github.PullRequestUpdatedAsync(revert);
        Assert.True(verify.Result.ExitCode == 0, verify.ToString());
        Assert.StartsWith("rollback to", github.CheckOn(revert)!.Description, StringComparison.Ordinal);
        Assert.NotNull(await github.MergeAsync(revert, "Revert b1"));
        Assert.Equal(Build("b0"), (await repo.MetadataAsync((await repo.HeadAsync("environments/prod"))!))!.Images);

        // Dev still runs b1 and keeps reporting it healthy: it is not proposed again.
        var again = await github.PromoteProdAsync(github.Report(devHead, "flux-reconciled.json"), _ => true);
        Assert.Equal("false", again["proposed"]);
        Assert.Contains("rolled back from it", again.Result.Output, StringComparison.Ordinal);

        var s2 = await repo.CommitToMainAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("300m"), "Api: the fix");
        await github.CdDevAsync(s2, Build("b2"));
        var newer = await github.PromoteProdAsync(github.Report((await repo.HeadAsync("environments/dev"))!, "argocd-deployed.json"), _ => true);
        Assert.Equal("true", newer["proposed"]);
    }

    [Fact]
    public async Task A_build_older_than_prods_is_not_proposed()
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var s0 = await repo.RevParseAsync("origin/main");
        var s1 = await repo.CommitToMainAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("200m"), "Api: more CPU");
        await github.CdDevAsync(s1, Build("b1"));
        Assert.NotNull(await github.MergeAsync(await ProposeAsync(repo, github, (await repo.HeadAsync("environments/dev"))!), "Promote b1"));

        // A rerun of the older commit's build does not even reach dev, so it can never be proposed.
        var hydrate = await github.CdDevAsync(s0, Build("b0-rerun"));
        Assert.Equal("false", hydrate["hydrated"]); // dev already runs a later commit's build
        Assert.Contains("dev already runs the build of", hydrate.Result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_state_that_main_never_held_or_that_was_edited_by_hand_is_refused()
    {
        RequiredTools.Require(Tools);
        using var repo = await GitOpsRepository.CreateAsync();
        var github = new FakeGitHub(repo);
        var devHead = await DevRunsFirstBuildAsync(repo, github);

        // Someone pushes to environments/dev by hand: a manifest CD did not render.
        var edited = (await repo.ShowAsync(devHead, "manifest.yaml"))!.Replace("cpu: 100m", "cpu: 999m", StringComparison.Ordinal);
        var byHand = await repo.CommitByHandAsync(devHead, new Dictionary<string, string?> { ["manifest.yaml"] = edited });
        await repo.GitAsync("push", "--quiet", "origin", $"{byHand}:refs/heads/environments/dev");
        var refused = await repo.PromoteAsync(github.Report(byHand, "argocd-deployed.json").ToJson());
        Assert.Equal(1, refused.Result.ExitCode);
        Assert.Contains("is not overlays/dev at", refused.Result.Error, StringComparison.Ordinal);

        // Or a hydration from a commit that is not on main (a feature branch's).
        await repo.GitAsync("checkout", "--quiet", "-b", "feature");
        var feature = await repo.CommitAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("999m"), "Not reviewed");
        await repo.GitAsync("push", "--quiet", "origin", "feature");
        var metadata = (await repo.ShowAsync(devHead, "hydrator.metadata"))!.Replace((await repo.MetadataAsync(devHead))!.DrySha, feature, StringComparison.Ordinal);
        var fromFeature = await repo.CommitByHandAsync(byHand, new Dictionary<string, string?> { ["hydrator.metadata"] = metadata });
        await repo.GitAsync("push", "--quiet", "origin", $"{fromFeature}:refs/heads/environments/dev");
        refused = await repo.PromoteAsync(github.Report(fromFeature, "argocd-deployed.json").ToJson());
        Assert.Equal(1, refused.Result.ExitCode);
        Assert.Contains("is not on main", refused.Result.Error, StringComparison.Ordinal);
        Assert.Null(await repo.HeadAsync("promote/prod"));
    }

    private static readonly string[] Tools = ["bash", "git", "jq", "kubectl"];

    /// <summary>Dev runs build b0 of main's head, hydrated as cd-gitops.yml does: returns dev's head.</summary>
    private static async Task<string> DevRunsFirstBuildAsync(GitOpsRepository repo, FakeGitHub github)
    {
        await github.CdDevAsync(await repo.RevParseAsync("origin/main"), Build("b0"));
        return (await repo.HeadAsync("environments/dev"))!;
    }

    /// <summary>Dev reports <paramref name="devHead"/> synced and healthy (Argo CD) and serves it: returns the proposal.</summary>
    private static async Task<string> ProposeAsync(GitOpsRepository repo, FakeGitHub github, string devHead)
    {
        await github.PromoteProdAsync(github.Report(devHead, "argocd-deployed.json"), _ => true);
        return (await repo.HeadAsync("promote/prod"))!;
    }

    private static readonly string[] BuiltImages = ["api", "web"];

    /// <summary>Images of a build: content-addressed, by digest, as build-images.yml gives them.</summary>
    public static string[] Build(string build) =>
        [.. BuiltImages.Select(image => $"voting/{image}=myacr.azurecr.io/voting/{image}@sha256:{Digest($"{build}/{image}")}")];

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
