using Voting.Deployment.Tests.Promotion;

namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/hydrate-environment.sh, cd-gitops.yml's dev job, against a local bare remote: a build of main becomes
/// one commit on the branch environments/dev (main is never written), and builds finishing in any order never put dev
/// back on an older commit's build.
/// </summary>
public sealed class HydrateEnvironmentTests
{
    [Fact]
    public async Task A_build_becomes_one_commit_of_environments_dev_holding_its_rendering_and_main_is_not_written()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl");
        using var repo = await GitOpsRepository.CreateAsync();
        var main = await repo.HeadAsync("main");
        var before = (await repo.HeadAsync("environments/dev"))!;
        var source = await repo.RevParseAsync("origin/main");

        var run = await repo.HydrateAsync(source, PromotionScenarioTests.Build("b0"));

        Assert.True(run.Result.ExitCode == 0, run.ToString());
        Assert.Equal("true", run["hydrated"]);
        var head = (await repo.HeadAsync("environments/dev"))!;
        Assert.Equal(head, run["revision"]);
        Assert.Equal([before], await repo.ParentsAsync(head));
        Assert.Equal(main, await repo.HeadAsync("main"));
        Assert.Equal(["README.md", "hydrator.metadata", "manifest.yaml"],
            (await repo.GitAsync("diff", "--name-only", before, head)).Trim().Split('\n'));
        Assert.Equal(await ExpectedRendering.OfAsync(repo, source, "dev", PromotionScenarioTests.Build("b0")),
            await repo.ShowAsync(head, "manifest.yaml"));
        var metadata = (await repo.MetadataAsync(head))!;
        Assert.Equal(new Metadata("dev", source, PromotionScenarioTests.Build("b0"), null).Build, metadata.Build);
        Assert.Equal("dev", metadata.Environment);
        // What GitHub reads from a pull request's base branch stays as configure-repository.sh put it.
        Assert.NotNull(await repo.ShowAsync(head, ".github/workflows/verify-environment.yml"));
        Assert.Equal("deploy(dev): voting built from " + source[..7], (await repo.GitAsync("log", "-1", "--format=%s", head)).Trim());
    }

    [Fact]
    public async Task Builds_finishing_in_any_order_never_put_dev_back_on_an_older_commits_build()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl");
        using var repo = await GitOpsRepository.CreateAsync();
        var a = await repo.RevParseAsync("origin/main");
        var b = await repo.CommitToMainAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("200m"), "B changes the base");

        // A's build finishes after B was merged: it still hydrates (B's build, later, replaces it).
        Assert.Equal("true", (await repo.HydrateAsync(a, PromotionScenarioTests.Build("a")))["hydrated"]);
        // B's build, queued behind A's hydration, hydrates.
        Assert.Equal("true", (await repo.HydrateAsync(b, PromotionScenarioTests.Build("b")))["hydrated"]);
        var head = await repo.HeadAsync("environments/dev");

        // A rerun of A's build finishing now must not replace B's.
        var late = await repo.HydrateAsync(a, PromotionScenarioTests.Build("a-rerun"));
        Assert.Equal("false", late["hydrated"]);
        Assert.Contains($"dev already runs the build of {b[..7]}, a later commit", late.Result.Output, StringComparison.Ordinal);
        Assert.Equal(head, await repo.HeadAsync("environments/dev"));

        // The same build again changes nothing; a rerun of B (new digests) is B's build too, and replaces it.
        Assert.Equal("false", (await repo.HydrateAsync(b, PromotionScenarioTests.Build("b")))["hydrated"]);
        Assert.Equal(head, await repo.HeadAsync("environments/dev"));
        Assert.Equal("true", (await repo.HydrateAsync(b, PromotionScenarioTests.Build("b-rerun")))["hydrated"]);
    }

    [Fact]
    public async Task A_push_rejected_because_another_build_pushed_first_is_decided_again()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl");
        using var repo = await GitOpsRepository.CreateAsync();
        var a = await repo.RevParseAsync("origin/main");
        var b = await repo.CommitToMainAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("200m"), "B changes the base");
        // Another run hydrates B while A's run is between its fetch and its push: the first push of A is rejected.
        var hook = Path.Combine(Directory.CreateDirectory(Path.Combine(repo.Origin, "hooks")).FullName, "pre-receive");
        await File.WriteAllTextAsync(hook, $$"""
            #!/usr/bin/env bash
            [[ -e "{{repo.Origin}}/raced" ]] && exit 0
            touch "{{repo.Origin}}/raced"
            echo "another build pushed first" >&2
            exit 1
            """.Replace("\r\n", "\n", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        Script.MakeExecutable(hook);
        var run = await repo.HydrateAsync(a, PromotionScenarioTests.Build("a"));
        Assert.True(run.Result.ExitCode == 0, run.ToString());
        Assert.Contains("push rejected (attempt 1)", run.Result.Error, StringComparison.Ordinal);
        Assert.Equal(a, (await repo.MetadataAsync((await repo.HeadAsync("environments/dev"))!))!.DrySha);

        // Once B's build is there, a retry of A's decides again and stands down.
        Assert.Equal("true", (await repo.HydrateAsync(b, PromotionScenarioTests.Build("b")))["hydrated"]);
        File.Delete(Path.Combine(repo.Origin, "raced"));
        var retried = await repo.HydrateAsync(a, PromotionScenarioTests.Build("a2"));
        Assert.Equal("false", retried["hydrated"]);
    }

    [Fact]
    public async Task A_commit_that_is_not_on_main_is_refused()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl");
        using var repo = await GitOpsRepository.CreateAsync();
        await repo.GitAsync("checkout", "--quiet", "-b", "feature");
        var feature = await repo.CommitAsync(MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu("999m"), "Not reviewed");
        var before = await repo.HeadAsync("environments/dev");

        var run = await repo.HydrateAsync(feature, PromotionScenarioTests.Build("f"));

        Assert.Equal(1, run.Result.ExitCode);
        Assert.Contains("is not a commit of main", run.Result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await repo.HeadAsync("environments/dev"));
    }
}
