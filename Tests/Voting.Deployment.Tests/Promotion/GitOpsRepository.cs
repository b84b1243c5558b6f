using System.Text.Json;
using Voting.Deployment.Tests.Workflows;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// A repository as GitHub would hold it, for the pull-mode scripts: a bare "origin" with main, and a clone where CD's
/// steps run (.github/scripts from this repository, as the workflows call them). It starts with the committed
/// gitops-manifests/, hydrated environments included.
/// </summary>
public sealed class GitOpsRepository : IDisposable
{
    private readonly string _remote;

    private GitOpsRepository(string remote, TempGitRepository clone)
    {
        _remote = remote;
        Clone = clone;
    }

    public TempGitRepository Clone { get; }

    public string Manifests => Path.Combine(Clone.Path, "gitops-manifests");

    public static async Task<GitOpsRepository> CreateAsync()
    {
        var remote = Directory.CreateTempSubdirectory("voting-gitops-remote-").FullName;
        await Script.RunCheckedAsync("git", remote, "init", "--quiet", "--bare", "--initial-branch=main");
        var files = Directory.EnumerateFiles(Path.Combine(Repository.Root, "gitops-manifests"), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'), File.ReadAllText);
        using (var seed = await TempGitRepository.CreateAsync(files))
        {
            await Script.RunCheckedAsync("git", seed.Path, "push", "--quiet", remote, "main");
        }

        return new GitOpsRepository(remote, await TempGitRepository.CloneAsync(remote));
    }

    /// <summary>Commits every change of the clone and pushes it, as a merged pull request would land on main.</summary>
    public async Task<string> CommitAndPushAsync(string message)
    {
        await Clone.GitAsync("add", "--all");
        await Clone.GitAsync("commit", "--quiet", "-m", message);
        await Clone.GitAsync("push", "--quiet", "origin", "main");
        return (await Clone.GitAsync("rev-parse", "HEAD")).Trim();
    }

    /// <summary>cd-gitops.yml's dev job: hydrate dev with the build's images and push; returns the hydration commit.</summary>
    public async Task<string> HydrateDevAsync(params string[] images)
    {
        await RunCheckedAsync("hydrate-environment.sh", ["dev", .. images]);
        await RunCheckedAsync("commit-paths.sh",
            ["deploy(dev): built", "gitops-manifests/overlays/dev/kustomization.yaml", "gitops-manifests/environments/dev"]);
        return (await Clone.GitAsync("rev-parse", "HEAD")).Trim();
    }

    /// <summary>promote-prod.yml's promote step, given a recorded status payload for <paramref name="sha"/>.</summary>
    public async Task<ScriptResult> PromoteAsync(string payload, string sha)
    {
        var recorded = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "Tests", "Voting.Deployment.Tests", "Promotion", "Payloads", payload));
        var eventFile = Path.Combine(Path.GetTempPath(), $"voting-status-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(eventFile, recorded.Replace("{{sha}}", sha, StringComparison.Ordinal));
        try
        {
            return await Script.RunAsync(Script.Path("promote.sh"), [eventFile], Clone.Path,
                new Dictionary<string, string> { ["SMOKE_CHECK"] = "passed (test)", ["GITHUB_OUTPUT"] = "" });
        }
        finally
        {
            File.Delete(eventFile);
        }
    }

    /// <summary>The promotion branch on origin, or null when none was pushed.</summary>
    public async Task<string?> PromotionBranchAsync()
    {
        var heads = await Script.RunCheckedAsync("git", Clone.Path, "ls-remote", "--heads", "origin", "promote/prod");
        return heads.Length == 0 ? null : heads.Split('\t')[0];
    }

    /// <summary>A file as a commit (or branch) of origin holds it.</summary>
    public async Task<string> ShowAsync(string revision, string path)
    {
        await Clone.GitAsync("fetch", "--quiet", "origin");
        return await Clone.GitAsync("show", $"{revision}:{path}");
    }

    /// <summary>Merges the promotion pull request (a fast-forward of main to its branch, as GitHub's merge leaves the same tree).</summary>
    public async Task MergePromotionAsync()
    {
        await Clone.GitAsync("fetch", "--quiet", "origin");
        await Clone.GitAsync("merge", "--quiet", "--ff-only", "origin/promote/prod");
        await Clone.GitAsync("push", "--quiet", "origin", "main");
    }

    public static JsonElement Metadata(string json) => JsonDocument.Parse(json).RootElement;

    private async Task RunCheckedAsync(string script, string[] arguments)
    {
        var result = await Script.RunAsync(Script.Path(script), arguments, Clone.Path);
        Assert.True(result.ExitCode == 0, $"{script}: {result}");
    }

    public void Dispose()
    {
        Clone.Dispose();
        Directory.Delete(_remote, recursive: true);
    }
}
