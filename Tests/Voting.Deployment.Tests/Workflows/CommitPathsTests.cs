
namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/commit-paths.sh, which records dev's hydration in the GitOps workflow, against a real remote (a
/// bare repository): one commit with the given paths only, no [skip ci] (checks must run on it), and a rebase when
/// main moved meanwhile.
/// </summary>
public sealed class CommitPathsTests : IDisposable
{
    private const string Message = "deploy(dev): voting built from 3f2c1d0";
    private const string Hydrated = "gitops-manifests/environments/dev/manifest.yaml";
    private readonly string _remote = Directory.CreateTempSubdirectory("voting-workflow-remote-").FullName;

    [Fact]
    public async Task Commits_only_the_given_paths_new_files_included_and_pushes_them()
    {
        RequiredTools.Require("bash", "git");

        using var clone = await CloneAsync();
        EditOverlay(clone);
        clone.Write(Hydrated, "kind: ConfigMap\n");
        clone.Write("README.md", "A change that is not the promotion's.\n");

        var result = await CommitPathsAsync(clone);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Message, (await clone.GitAsync("log", "-1", "--format=%B", "origin/main")).Trim());
        Assert.DoesNotContain("[skip ci]", await clone.GitAsync("log", "-1", "--format=%B", "origin/main"), StringComparison.Ordinal);
        Assert.Equal(
            [Hydrated, MinimalOverlays.DevKustomization],
            (await clone.GitAsync("show", "--format=", "--name-only", "origin/main")).Trim().Split('\n').Order(StringComparer.Ordinal));
        Assert.Equal(" M README.md", await clone.StatusAsync());
    }

    [Fact]
    public async Task Rebases_onto_a_main_that_moved_and_pushes()
    {
        RequiredTools.Require("bash", "git");

        using var clone = await CloneAsync();
        using var other = await CloneAsync();
        other.Write("docs/other.md", "Pushed by someone else meanwhile.\n");
        await other.GitAsync("add", ".");
        await other.GitAsync("commit", "--quiet", "-m", "Another change");
        await other.GitAsync("push", "--quiet", "origin", "main");
        EditOverlay(clone);

        var result = await CommitPathsAsync(clone);

        Assert.True(result.ExitCode == 0, result.ToString());
        var log = await clone.GitAsync("log", "--format=%s", "origin/main");
        Assert.Equal([Message, "Another change", "Initial manifests"], log.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task An_unchanged_overlay_makes_no_commit()
    {
        RequiredTools.Require("bash", "git");

        using var clone = await CloneAsync();
        var before = await clone.GitAsync("rev-parse", "origin/main");

        var result = await CommitPathsAsync(clone);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("nothing to commit", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, await clone.GitAsync("rev-parse", "origin/main"));
    }

    public void Dispose() => Directory.Delete(_remote, recursive: true);

    private async Task<TempGitRepository> CloneAsync()
    {
        if (!Directory.EnumerateFileSystemEntries(_remote).Any())
        {
            await Script.RunCheckedAsync("git", _remote, "init", "--quiet", "--bare", "--initial-branch=main");
            using var seed = await TempGitRepository.CreateAsync(MinimalOverlays.Files);
            await Script.RunCheckedAsync("git", seed.Path, "push", "--quiet", _remote, "main");
        }

        return await TempGitRepository.CloneAsync(_remote);
    }

    private static void EditOverlay(TempGitRepository clone) =>
        clone.Write(MinimalOverlays.DevKustomization,
            clone.Read(MinimalOverlays.DevKustomization).Replace("newTag: initial", "newTag: next", StringComparison.Ordinal));

    private static Task<ScriptResult> CommitPathsAsync(TempGitRepository clone) =>
        Script.RunAsync(Script.Path("commit-paths.sh"), [Message, MinimalOverlays.DevKustomization, "gitops-manifests/environments/dev"], clone.Path);
}
