using System.Text.Json;
using Voting.Deployment.Tests.Workflows;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>The outcome of a script, with what it wrote to $GITHUB_OUTPUT.</summary>
public sealed record ScriptRun(ScriptResult Result, IReadOnlyDictionary<string, string> Outputs)
{
    public string this[string key] => Outputs.GetValueOrDefault(key, "");

    public override string ToString() => Result.ToString();
}

/// <summary>
/// A repository as GitHub holds it for pull-mode CD: a bare "origin" with main and the branches configure-repository.sh
/// creates (environments/dev, environments/prod, with no manifest yet), and one clone where people merge to main and
/// the CD scripts run, as the workflows call them (.github/scripts of this repository). The scripts never touch the
/// clone's files or branches, so one clone serves both. Created from a template repository made once per test run.
/// </summary>
public sealed class GitOpsRepository : IDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static readonly Dictionary<Start, string> Templates = [];
    private static readonly string[] CdBranches = ["main", "environments/dev", "environments/prod", "promote/prod"];
    private static readonly string[] EnvironmentBranchFiles = [".github/CODEOWNERS", ".github/workflows/verify-environment.yml"];
    private readonly string _root;
    private readonly Dictionary<(string Commit, string Path), string> _files = [];
    private readonly Lazy<GitObjectReader> _objects;

    private GitOpsRepository(string root)
    {
        _root = root;
        Origin = Path.Combine(root, "origin.git");
        Clone = Path.Combine(root, "clone");
        _objects = new Lazy<GitObjectReader>(() => new GitObjectReader(Origin));
    }

    /// <summary>The bare repository playing GitHub's.</summary>
    public string Origin { get; }

    /// <summary>The clone people and the workflows work in.</summary>
    public string Clone { get; }

    /// <summary>How a new repository starts.</summary>
    public enum Start
    {
        /// <summary>Main alone, with <see cref="MinimalOverlays"/> and the .github files: configure-repository.sh not run.</summary>
        MainOnly,

        /// <summary>Configured: the environment branches exist, nothing is deployed.</summary>
        Configured,

        /// <summary>Configured, and main's first commit built as "b0", run by dev and promoted to prod.</summary>
        InUse,
    }

    /// <summary>A new repository, copied from a template made once per test run.</summary>
    public static async Task<GitOpsRepository> CreateAsync(Start start = Start.Configured)
    {
        var template = await TemplateAsync(start);
        var repository = new GitOpsRepository(ScratchSpace.NewFolder("voting-gitops-"));
        await Script.RunCheckedAsync("cp", repository._root, "-R", template, repository.Origin);
        await repository.CloneAsync();
        return repository;
    }

    /// <summary>Commits a change of one file to main and pushes it, as a merged pull request lands; returns the commit.</summary>
    public async Task<string> CommitToMainAsync(string path, string content, string message)
    {
        await File.WriteAllTextAsync(Path.Combine(Clone, path), content);
        await GitAsync("commit", "--quiet", "-am", message);
        await GitAsync("push", "--quiet", "origin", "HEAD:main");
        return (await HeadAsync("main"))!;
    }

    /// <summary>Commits every change of the clone's files to main and pushes it; returns the commit.</summary>
    public async Task<string> CommitToMainAsync(string message)
    {
        await GitAsync("add", "--all");
        await GitAsync("commit", "--quiet", "-m", message);
        await GitAsync("push", "--quiet", "origin", "HEAD:main");
        return await RevParseAsync("HEAD");
    }

    /// <summary>Commits a change of one file to the clone's current branch; returns the commit.</summary>
    public async Task<string> CommitAsync(string path, string content, string message)
    {
        await File.WriteAllTextAsync(Path.Combine(Clone, path), content);
        await GitAsync("commit", "--quiet", "-am", message);
        return await RevParseAsync("HEAD");
    }

    /// <summary>cd-gitops.yml's hydration of dev with a build of <paramref name="sourceSha"/>.</summary>
    public Task<ScriptRun> HydrateAsync(string sourceSha, params string[] images) =>
        RunAsync("hydrate-environment.sh", ["dev", sourceSha, .. images]);

    /// <summary>promote.sh for <paramref name="statusJson"/>, GitHub showing <paramref name="current"/> on the proposal.</summary>
    public async Task<ScriptRun> PromoteAsync(string statusJson, Check? current = null)
    {
        var file = await TempFileAsync(statusJson);
        return await RunAsync("promote.sh", [file], CheckVariables(current));
    }

    /// <summary>promotion-check.sh on <paramref name="revision"/> (default: the proposal), with dev's latest report if any.</summary>
    public async Task<ScriptRun> PromotionCheckAsync(string? revision = null, string? statusJson = null, Check? current = null)
    {
        string[] arguments = revision is null ? [] : statusJson is null ? [revision] : [revision, await TempFileAsync(statusJson)];
        return await RunAsync("promotion-check.sh", arguments, CheckVariables(current));
    }

    /// <summary>
    /// verify-environment.sh on a pull request from <paramref name="head"/> into environments/ENVIRONMENT. Like the
    /// workflow's checkout, the clone must have fetched main since the source commit the head names.
    /// </summary>
    public async Task<ScriptRun> VerifyAsync(string environment, string head) =>
        await RunAsync("verify-environment.sh", [environment, (await HeadAsync($"environments/{environment}"))!, head]);

    /// <summary>hold.sh: holds prod with <paramref name="reason"/>, or releases it with "--release".</summary>
    public Task<ScriptRun> HoldAsync(string reason) => RunAsync("hold.sh", ["prod", reason]);

    /// <summary>Pushes a commit (a script's proposal) to a branch of origin, replacing what it held.</summary>
    public Task PushAsync(string commit, string branch) => GitAsync("push", "--quiet", "--force", "origin", $"{commit}:refs/heads/{branch}");

    /// <summary>
    /// Merges a pull request from <paramref name="head"/> into <paramref name="branch"/> as GitHub's merge button does
    /// with a merge commit (the head is up to date with the branch, as the ruleset requires); returns the merge.
    /// </summary>
    public async Task<string> MergeAsync(string head, string branch, string title)
    {
        var @base = await HeadAsync(branch) ?? throw new InvalidOperationException($"No branch {branch}.");
        var merge = (await GitAsync("commit-tree", $"{head}^{{tree}}", "-p", @base, "-p", head, "-m", title)).Trim();
        await GitAsync("push", "--quiet", "origin", $"{merge}:refs/heads/{branch}");
        return merge;
    }

    /// <summary>What `git revert -m 1 MERGE` gives on top of MERGE: a commit whose tree is the merge's first parent's.</summary>
    public async Task<string> RevertCommitAsync(string merge) =>
        (await GitAsync("commit-tree", $"{merge}^1^{{tree}}", "-p", merge, "-m", $"Revert \"{merge[..7]}\"")).Trim();

    /// <summary>
    /// A commit on <paramref name="parent"/> with files changed by hand (a null content deletes the file), as someone
    /// with write access could push it: nothing checked out, no branch moved. Returns the commit.
    /// </summary>
    public async Task<string> CommitByHandAsync(string parent, IReadOnlyDictionary<string, string?> files)
    {
        var index = Path.Combine(_root, $"index-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
        async Task<string> Git(params string[] arguments)
        {
            var result = await Script.RunAsync("git", arguments, Clone, environment);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output.Trim();
        }

        await Git("read-tree", parent);
        foreach (var (path, content) in files)
        {
            if (content is null)
            {
                await Git("update-index", "--force-remove", path);
                continue;
            }

            var file = Path.Combine(_root, $"blob-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(file, content);
            await Git("update-index", "--add", "--cacheinfo", $"100644,{await Git("hash-object", "-w", file)},{path}");
            File.Delete(file);
        }

        var commit = await Git("-c", "user.name=Someone", "-c", "user.email=someone@example.com", "commit-tree", await Git("write-tree"), "-p", parent, "-m", "By hand");
        File.Delete(index);
        return commit;
    }

    /// <summary>A branch's head on origin, or null when origin has no such branch.</summary>
    public async Task<string?> HeadAsync(string branch) => (await _objects.Value.ReadAsync($"refs/heads/{branch}"))?.Sha;

    /// <summary>The heads of the branches CD uses, read without starting a process.</summary>
    public async Task<IReadOnlyDictionary<string, string>> HeadsAsync()
    {
        var heads = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var branch in CdBranches)
        {
            if (await HeadAsync(branch) is { } head)
            {
                heads[branch] = head;
            }
        }

        return heads;
    }

    /// <summary>The object a name such as COMMIT:PATH resolves to.</summary>
    public async Task<string> TreeAsync(string name) => (await _objects.Value.ReadAsync(name))!.Value.Sha;

    /// <summary>A commit's parents.</summary>
    public async Task<string[]> ParentsAsync(string commit) =>
        [.. (await _objects.Value.ReadAsync(commit))!.Value.Content.Split('\n').TakeWhile(line => line.Length > 0)
            .Where(line => line.StartsWith("parent ", StringComparison.Ordinal)).Select(line => line[7..])];

    /// <summary>Whether origin's <paramref name="ancestor"/> is an ancestor of (or is) <paramref name="revision"/>.</summary>
    public async Task<bool> IsAncestorAsync(string ancestor, string revision) =>
        (await Script.RunAsync("git", ["--git-dir", Origin, "merge-base", "--is-ancestor", ancestor, revision], _root)).ExitCode == 0;

    /// <summary>A file as a commit (a SHA) of origin holds it, or null when it has none. Commits never change: remembered.</summary>
    public async Task<string?> ShowAsync(string commit, string path)
    {
        if (!_files.TryGetValue((commit, path), out var content) && (await _objects.Value.ReadAsync($"{commit}:{path}"))?.Content is { } read)
        {
            _files[(commit, path)] = content = read;
        }

        return content;
    }

    /// <summary>A commit's hydrator.metadata, or null when it has none.</summary>
    public async Task<Metadata?> MetadataAsync(string commit) =>
        await ShowAsync(commit, "hydrator.metadata") is { } json ? Metadata.Parse(json) : null;

    public Task<string> GitAsync(params string[] arguments) =>
        Script.RunCheckedAsync("git", Clone, ["-c", "user.name=Test", "-c", "user.email=test@example.com", .. arguments]);

    public async Task<string> RevParseAsync(string revision) => (await GitAsync("rev-parse", revision)).Trim();

    private async Task<ScriptRun> RunAsync(string script, string[] arguments, IReadOnlyDictionary<string, string>? variables = null)
    {
        var outputs = Path.Combine(_root, $"output-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string>(variables ?? new Dictionary<string, string>())
        {
            ["PATH"] = RenderCache.ScriptPath,
            ["TMPDIR"] = ScratchSpace.Root,
            ["GITHUB_OUTPUT"] = outputs,
            ["PROMOTION_OUT"] = Path.Combine(_root, "promotion"),
        };
        var result = await Script.RunAsync(Script.Path(script), arguments, Clone, environment);
        var values = File.Exists(outputs)
            ? File.ReadAllLines(outputs).Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        File.Delete(outputs);
        return new ScriptRun(result, values);
    }

    private static Dictionary<string, string> CheckVariables(Check? current) => current is null
        ? []
        : new() { ["CHECK_SHA"] = current.Sha, ["CHECK_STATE"] = current.State, ["CHECK_DESCRIPTION"] = current.Description };

    private async Task<string> TempFileAsync(string content)
    {
        var file = Path.Combine(_root, $"status-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, content);
        return file;
    }

    /// <summary>
    /// A new repository whose main holds <paramref name="manifests"/> (gitops-manifests/... paths) and this repository's
    /// .github files, with main's first commit built as "b0", run by dev and promoted to prod (<see cref="Start.InUse"/>).
    /// </summary>
    public static async Task<GitOpsRepository> CreateAsync(IReadOnlyDictionary<string, string> manifests)
    {
        var repository = new GitOpsRepository(ScratchSpace.NewFolder("voting-gitops-"));
        await repository.InitializeAsync(manifests, Start.InUse);
        return repository;
    }

    /// <summary>The templates: each start made once per test run, as the real scripts make it.</summary>
    private static async Task<string> TemplateAsync(Start start)
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (!Templates.TryGetValue(start, out var template))
            {
                var repository = new GitOpsRepository(ScratchSpace.NewFolder("voting-gitops-template-"));
                AppDomain.CurrentDomain.ProcessExit += (_, _) => repository.Dispose();
                await repository.InitializeAsync(MinimalOverlays.Files, start);
                // One pack rather than a file per object: every sequence copies it.
                await Script.RunCheckedAsync("git", repository.Origin, "repack", "-a", "-d", "-q");
                Templates[start] = template = repository.Origin;
            }

            return template;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private async Task InitializeAsync(IReadOnlyDictionary<string, string> manifests, Start start)
    {
        await Script.RunCheckedAsync("git", _root, "init", "--quiet", "--bare", "--template=", "--initial-branch=main", Origin);
        await Script.RunCheckedAsync("git", Origin, "config", "receive.autogc", "false");
        var files = new Dictionary<string, string>(manifests);
        foreach (var path in EnvironmentBranchFiles.Concat(
            Directory.EnumerateFiles(Path.Combine(Repository.Root, ".github", "rulesets")).Select(f => Path.GetRelativePath(Repository.Root, f))))
        {
            files[path] = await File.ReadAllTextAsync(Path.Combine(Repository.Root, path));
        }

        using (var seed = await TempGitRepository.CreateAsync(files))
        {
            await Script.RunCheckedAsync("git", seed.Path, "push", "--quiet", Origin, "main");
        }

        await CloneAsync();
        if (start == Start.MainOnly)
        {
            return;
        }

        // The bootstrap's step, as configure-repository.sh does it; its rulesets go to a gh that accepts everything.
        var gh = Path.Combine(_root, "gh");
        await File.WriteAllTextAsync(gh, "#!/usr/bin/env bash\nexit 0\n");
        Script.MakeExecutable(gh);
        var configure = await Script.RunAsync(Script.Path("configure-repository.sh"), [], Clone,
            new Dictionary<string, string> { ["PATH"] = $"{_root}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}" });
        Assert.True(configure.ExitCode == 0, configure.ToString());
        if (start == Start.Configured)
        {
            return;
        }

        await MergeAsync(await ProposeBuildAsync(await RevParseAsync("origin/main"), "b0"), "environments/prod", "Promote b0");
    }

    /// <summary>
    /// <paramref name="build"/> of <paramref name="source"/> run by dev and reported healthy, then proposed for prod by
    /// the real scripts; returns the proposal, pushed to promote/prod.
    /// </summary>
    public async Task<string> ProposeBuildAsync(string source, string build)
    {
        var hydrate = await HydrateAsync(source, PromotionScenarioTests.Build(build));
        Assert.True(hydrate.Result.ExitCode == 0, hydrate.ToString());
        var status = new CommitStatus(1, hydrate["revision"], FakeGitHub.DevContext, "success", "healthy", null);
        var promote = await PromoteAsync(status.ToJson());
        Assert.True(promote["proposed"] == "true", promote.ToString());
        await PushAsync(promote["proposal"], "promote/prod");
        return promote["proposal"];
    }

    /// <summary>
    /// The clone, without sample hooks, and with no background housekeeping after every fetch and push: the repository
    /// is small and lives for one test.
    /// </summary>
    private async Task CloneAsync() => await Script.RunCheckedAsync("git", _root, "clone", "--quiet", "--template=",
        "-c", "maintenance.auto=false", "-c", "gc.auto=0", Origin, Clone);

    public void Dispose()
    {
        if (_objects.IsValueCreated)
        {
            _objects.Value.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }
}

/// <summary>A promotion check as GitHub shows it on a commit.</summary>
public sealed record Check(string Sha, string State, string Description);

/// <summary>A hydrated state's hydrator.metadata; its build is the source commit with the images.</summary>
public sealed record Metadata(string Environment, string DrySha, IReadOnlyList<string> Images, string? PromotedFromRevision)
{
    public string Build => $"{DrySha} {string.Join(' ', Images.Order(StringComparer.Ordinal))}";

    public static Metadata Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        return new Metadata(
            root.GetProperty("environment").GetString()!,
            root.GetProperty("drySha").GetString()!,
            [.. root.GetProperty("images").EnumerateArray().Select(i => i.GetString()!)],
            root.TryGetProperty("promotedFrom", out var from) ? from.GetProperty("revision").GetString() : null);
    }
}
