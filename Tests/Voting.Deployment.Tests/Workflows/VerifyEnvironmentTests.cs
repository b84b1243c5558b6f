using Voting.Deployment.Tests.Promotion;

namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/verify-environment.sh, the check environments/prod's ruleset requires on every pull request into it
/// (verify-environment.yml): the head must render as its metadata says, and hold nothing else. A real promotion and a
/// revert of one pass; each way of slipping something else into prod fails, naming what is wrong.
/// </summary>
public sealed class VerifyEnvironmentTests
{
    [Fact]
    public async Task A_promotion_and_a_revert_of_one_pass()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl");
        using var repo = await GitOpsRepository.CreateAsync(GitOpsRepository.Start.InUse);
        var proposal = await ProposeAsync(repo);

        var promotion = await repo.VerifyAsync("prod", proposal);
        Assert.True(promotion.Result.ExitCode == 0, promotion.ToString());

        var merge = await repo.MergeAsync(proposal, "environments/prod", "Promote b1");
        var revert = await repo.RevertCommitAsync(merge);
        var rollback = await repo.VerifyAsync("prod", revert);
        Assert.True(rollback.Result.ExitCode == 0, rollback.ToString());
    }

    [Theory]
    [InlineData("manifest.yaml edited", "is not overlays/prod rendered at")]
    [InlineData("another image in the metadata", "is not overlays/prod rendered at")]
    [InlineData("a source commit main never had", "is not a commit of main")]
    [InlineData("another environment's metadata", "names environment dev, not prod")]
    [InlineData("a file that is not a hydrated state", "kustomization.yaml is not part of a hydrated state")]
    [InlineData("the check's workflow changed", ".github/workflows/verify-environment.yml differs from both")]
    [InlineData("README.md edited", "README.md is not what CD writes")]
    [InlineData("prod emptied", "manifest.yaml is gone")]
    [InlineData("the metadata alone", "manifest.yaml and hydrator.metadata go together")]
    public async Task A_pull_request_that_is_not_its_metadatas_rendering_fails(string change, string error)
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl");
        using var repo = await GitOpsRepository.CreateAsync(GitOpsRepository.Start.InUse);
        var proposal = await ProposeAsync(repo);
        var manifest = (await repo.ShowAsync(proposal, "manifest.yaml"))!;
        var metadata = (await repo.ShowAsync(proposal, "hydrator.metadata"))!;
        var source = (await repo.MetadataAsync(proposal))!.DrySha;
        var files = new Dictionary<string, string?>();
        switch (change)
        {
            case "manifest.yaml edited":
                files["manifest.yaml"] = manifest.Replace("cpu: 200m", "cpu: 999m", StringComparison.Ordinal);
                break;
            case "another image in the metadata":
                files["hydrator.metadata"] = metadata.Replace(PromotionScenarioTests.Build("b1")[0], PromotionScenarioTests.Build("other")[0], StringComparison.Ordinal);
                break;
            case "a source commit main never had":
                await repo.GitAsync("checkout", "--quiet", "-b", "feature");
                files["hydrator.metadata"] = metadata.Replace(source, await repo.CommitAsync("README.md", "Not reviewed.\n", "Not reviewed"), StringComparison.Ordinal);
                break;
            case "another environment's metadata":
                files["hydrator.metadata"] = metadata.Replace("\"environment\": \"prod\"", "\"environment\": \"dev\"", StringComparison.Ordinal);
                break;
            case "a file that is not a hydrated state":
                files["kustomization.yaml"] = "resources: [manifest.yaml]\n";
                break;
            case "the check's workflow changed":
                files[".github/workflows/verify-environment.yml"] = "on: push\n";
                break;
            case "README.md edited":
                files["README.md"] = "Trust me.\n";
                break;
            case "prod emptied":
                files["manifest.yaml"] = null;
                files["hydrator.metadata"] = null;
                break;
            case "the metadata alone":
                files["manifest.yaml"] = null;
                break;
        }

        var changed = await repo.CommitByHandAsync(proposal, files);
        var run = await repo.VerifyAsync("prod", changed);

        Assert.Equal(1, run.Result.ExitCode);
        Assert.Contains(error, run.Result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_branchs_own_files_may_become_mains()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl");
        using var repo = await GitOpsRepository.CreateAsync(GitOpsRepository.Start.InUse);
        var codeOwners = "# A new owner.\n/manifest.yaml @your-org/operations\n";
        await repo.CommitToMainAsync(".github/CODEOWNERS", codeOwners, "New owners");
        await repo.GitAsync("fetch", "--quiet", "origin");
        var prod = (await repo.HeadAsync("environments/prod"))!;

        var updated = await repo.VerifyAsync("prod", await repo.CommitByHandAsync(prod, new Dictionary<string, string?> { [".github/CODEOWNERS"] = codeOwners }));
        var other = await repo.VerifyAsync("prod", await repo.CommitByHandAsync(prod, new Dictionary<string, string?> { [".github/CODEOWNERS"] = "* @someone\n" }));

        Assert.True(updated.Result.ExitCode == 0, updated.ToString());
        Assert.Equal(1, other.Result.ExitCode);
    }

    /// <summary>Main's Api CPU raised and built as b1, run by dev, and proposed for prod by the real scripts.</summary>
    private static async Task<string> ProposeAsync(GitOpsRepository repo)
    {
        var source = await repo.CommitToMainAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("200m"), "Api: more CPU");
        return await repo.ProposeBuildAsync(source, "b1");
    }
}
