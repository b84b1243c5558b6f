namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/should-hydrate.sh, which decides in the GitOps workflow whether a build of main still hydrates dev.
/// Builds finish out of order; each case is an order the workflow meets, played on a real git history.
/// </summary>
public sealed class ShouldHydrateTests
{
    [Fact]
    public async Task A_build_queued_behind_an_older_builds_hydration_still_hydrates()
    {
        RequiredTools.Require("bash", "git", "jq");
        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);
        var a = await CommitAsync(repo, "docs/a.md", "A");
        var b = await CommitAsync(repo, "docs/b.md", "B");
        await HydrateAsync(repo, builtFrom: a);

        Assert.Equal("true", (await ShouldHydrateAsync(repo, b)).Answer);
    }

    [Fact]
    public async Task A_build_whose_manifests_a_later_commit_changed_leaves_dev_to_that_commits_build()
    {
        RequiredTools.Require("bash", "git", "jq");
        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);
        var a = await CommitAsync(repo, "docs/a.md", "A");
        await CommitAsync(repo, "gitops-manifests/base/extra.yaml", "B changes the base", "kind: ConfigMap\n");

        var (answer, reason) = await ShouldHydrateAsync(repo, a);
        Assert.Equal("false", answer);
        Assert.Contains("\"B changes the base\") changed dev's manifests", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_build_finishing_after_a_newer_builds_hydration_does_not_replace_it()
    {
        RequiredTools.Require("bash", "git", "jq");
        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);
        var a = await CommitAsync(repo, "docs/a.md", "A");
        var b = await CommitAsync(repo, "docs/b.md", "B");
        await HydrateAsync(repo, builtFrom: b);

        var (answer, reason) = await ShouldHydrateAsync(repo, a);
        Assert.Equal("false", answer);
        Assert.Contains($"dev already runs the build of {b[..7]}", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_newest_commit_and_a_rerun_of_the_build_dev_runs_hydrate()
    {
        RequiredTools.Require("bash", "git", "jq");
        using var repo = await TempGitRepository.CreateAsync(MinimalOverlays.Files);
        var a = await CommitAsync(repo, "docs/a.md", "A");

        Assert.Equal("true", (await ShouldHydrateAsync(repo, a)).Answer);
        await HydrateAsync(repo, builtFrom: a);
        Assert.Equal("true", (await ShouldHydrateAsync(repo, a)).Answer);
    }

    private static async Task<string> CommitAsync(TempGitRepository repo, string path, string message, string? content = null)
    {
        repo.Write(path, content ?? $"{message}\n");
        await repo.GitAsync("add", ".");
        await repo.GitAsync("commit", "--quiet", "-m", message);
        return (await repo.GitAsync("rev-parse", "HEAD")).Trim();
    }

    /// <summary>What CD's hydration commit changes: dev's images and its hydrated folder, with the source commit.</summary>
    private static async Task HydrateAsync(TempGitRepository repo, string builtFrom)
    {
        repo.Write(MinimalOverlays.DevKustomization,
            repo.Read(MinimalOverlays.DevKustomization).Replace("newTag: initial", $"newTag: {builtFrom[..7]}", StringComparison.Ordinal));
        repo.Write("gitops-manifests/environments/dev/hydrator.metadata", $$"""{"environment": "dev", "drySha": "{{builtFrom}}"}""");
        await repo.GitAsync("add", ".");
        await repo.GitAsync("commit", "--quiet", "-m", $"deploy(dev): voting built from {builtFrom[..7]}");
    }

    /// <summary>The script's answer (true or false) and why it stands down, if it does.</summary>
    private static async Task<(string Answer, string Reason)> ShouldHydrateAsync(TempGitRepository repo, string sourceSha)
    {
        var result = await Script.RunAsync(Script.Path("should-hydrate.sh"), ["dev", sourceSha], repo.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        return (result.Output.Trim(), result.Error);
    }
}
