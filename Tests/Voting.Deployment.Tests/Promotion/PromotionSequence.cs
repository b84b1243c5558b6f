using Voting.Deployment.Tests.Workflows;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// One random sequence of what happens around pull-mode CD, played against a fresh repository with the real scripts:
/// merges to main (the base, one overlay, or neither), builds finishing in any order (and reruns), dev's operator
/// syncing and reporting (healthy, degraded, recovering, Flux reporting again on every reconcile), its reports reaching
/// promote-prod.yml late, twice or out of order, the promotion pull request merged or closed, prod held and released,
/// promotions reverted. After every step it checks what must always hold (<see cref="CheckAsync"/>); the first
/// violation throws with the seed and the steps so far.
/// </summary>
internal sealed class PromotionSequence
{
    private static readonly string[] Cpus = ["100m", "200m", "300m", "400m"];
    private readonly Random _random;
    private readonly int _seed;
    private readonly string _operator; // the report shape: Argo CD's or Flux's
    private readonly List<string> _steps = [];
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private readonly GitOpsRepository _repo;
    private readonly FakeGitHub _github;

    private readonly List<string> _unbuilt = [];
    private readonly Dictionary<string, int> _builds = new(StringComparer.Ordinal);
    private readonly List<CommitStatus> _undelivered = [];
    private readonly List<CommitStatus> _delivered = [];
    private readonly HashSet<string> _proven = new(StringComparer.Ordinal); // builds dev served, healthy
    private readonly HashSet<string> _reverted = new(StringComparer.Ordinal);
    private readonly HashSet<(long Status, int World)> _actedOn = [];
    private string? _synced; // the environments/dev revision dev's cluster synced
    private string? _served; // the source commit dev's pods serve
    private bool _healthy;
    private bool _held;
    private int _world; // bumped by every change that is not a report reaching the promotion
    private int _reverts;
    private string? _lastDevDry;
    private (string? Proposal, string? Prod) _checked;

    private PromotionSequence(int seed, GitOpsRepository repo)
    {
        _seed = seed;
        _random = new Random(seed);
        _operator = _random.Next(2) == 0 ? "argocd" : "flux";
        _repo = repo;
        _github = new FakeGitHub(repo);
    }

    /// <summary>Plays a sequence; returns how often each kind of event happened in it (what the run covered).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> RunAsync(int seed, int steps)
    {
        // Half the sequences start from a fresh repository, half from one in use: dev and prod run main's first build.
        var inUse = seed % 2 == 0;
        using var repo = await GitOpsRepository.CreateAsync(inUse ? GitOpsRepository.Start.InUse : GitOpsRepository.Start.Configured);
        var sequence = new PromotionSequence(seed, repo);
        var first = await repo.RevParseAsync("origin/main");
        if (inUse)
        {
            var dev = (await repo.MetadataAsync((await repo.HeadAsync("environments/dev"))!))!;
            (sequence._synced, sequence._served, sequence._healthy, sequence._lastDevDry) = (await repo.HeadAsync("environments/dev"), first, true, first);
            sequence._proven.Add(dev.Build);
            sequence._builds[first] = 1;
        }
        else
        {
            sequence._unbuilt.Add(first);
        }

        sequence._steps.Add(inUse ? $"start: dev and prod run main's {first[..7]} (build b0)" : $"start: main at {first[..7]}, nothing built");

        for (var i = 0; i < steps; i++)
        {
            await sequence.StepAsync();
            await sequence.CheckAsync();
        }

        return sequence._seen;
    }

    private void Saw(string what) => _seen[what] = _seen.GetValueOrDefault(what) + 1;

    /// <summary>
    /// One step, drawn at random among those possible now, weighted towards progress (a promotion open is likely to be
    /// merged, a new dev revision to be synced), so that short sequences still reach promotions, reverts and holds.
    /// </summary>
    private async Task StepAsync()
    {
        var heads = await _repo.HeadsAsync();
        var revertable = await RevertableAsync(heads["environments/prod"]) is not null;
        (int Weight, Func<Task> Step)[] steps =
        [
            (10, MergeToMainAsync),
            (_unbuilt.Count > 0 ? 15 : 2, BuildAsync),
            (heads["environments/dev"] != _synced ? 20 : 6, OperatorAsync),
            (_undelivered.Count > 0 ? 15 : 3, () => DeliverAsync()),
            (_github.PromotionOpen ? 25 : 0, MergePromotionAsync),
            (revertable ? 10 : 0, RevertAsync),
            (2, HoldOrReleaseAsync),
            (_github.PromotionOpen ? 1 : 0, CloseAsync),
        ];
        var roll = _random.Next(steps.Sum(s => s.Weight));
        var step = steps.First(s => (roll -= s.Weight) < 0).Step;
        try
        {
            await step();
        }
        catch (Exception e) when (e is not SequenceFailure)
        {
            throw Fail($"the step threw: {e}");
        }
    }

    private async Task MergeToMainAsync()
    {
        var (path, content, what) = _random.Next(4) switch
        {
            0 => (MinimalOverlays.ApiDeployment, MinimalOverlays.ApiWithCpu(Cpus[_random.Next(Cpus.Length)]), "the base (Api CPU)"),
            1 => (MinimalOverlays.DevKustomization, MinimalOverlays.Overlay("dev", _random.Next(1, 4)), "dev's overlay"),
            2 => (MinimalOverlays.ProdKustomization, MinimalOverlays.Overlay("prod", _random.Next(2, 6)), "prod's overlay"),
            _ => ("README.md", $"Not a manifest, version {_random.Next(1000)}.\n", "no manifest"),
        };
        if (await File.ReadAllTextAsync(Path.Combine(_repo.Clone, path)) == content)
        {
            _steps.Add($"merge: nothing ({what} unchanged)");
            return;
        }

        var commit = await _repo.CommitToMainAsync(path, content, what);
        _unbuilt.Add(commit);
        _world++;
        _steps.Add($"merge {commit[..7]} changing {what}");
    }

    /// <summary>A build finishes: any unbuilt commit, in any order; sometimes a rerun of a built one (new digests).</summary>
    private async Task BuildAsync()
    {
        string commit;
        if (_unbuilt.Count > 0 && _random.Next(8) > 0)
        {
            commit = _unbuilt[_random.Next(_unbuilt.Count)];
            _unbuilt.Remove(commit);
        }
        else if (_builds.Count > 0)
        {
            commit = _builds.Keys.ElementAt(_random.Next(_builds.Count));
        }
        else
        {
            return;
        }

        // Digests follow the manifests' content and the attempt (a rerun builds new digests), not the commit's SHA, so
        // sequences that reach the same content render the same input again, which the render cache answers.
        var attempt = _builds[commit] = _builds.GetValueOrDefault(commit) + 1;
        var tree = await _repo.TreeAsync($"{commit}:gitops-manifests");
        var hydrate = await _github.CdDevAsync(commit, PromotionScenarioTests.Build($"{tree}/{attempt}"));
        _world++;
        _steps.Add($"build {commit[..7]} #{attempt}: hydrated={hydrate["hydrated"]} dev={hydrate["revision"][..7]}");
        Saw(hydrate["hydrated"] == "true" ? "build hydrated dev" : "build stood down (dev runs a later build, or this one)");
        var dry = (await _repo.MetadataAsync(hydrate["revision"]))?.DrySha;
        if (_lastDevDry is not null && dry != _lastDevDry &&
            await _repo.IsAncestorAsync(dry!, _lastDevDry))
        {
            throw Fail($"dev went back from the build of {_lastDevDry[..7]} to an older commit's, {dry![..7]}");
        }

        _lastDevDry = dry;
    }

    /// <summary>Dev's operator: syncs the branch's head and reports; or degrades, recovers, or (Flux) reports again.</summary>
    private async Task OperatorAsync()
    {
        var head = (await _repo.HeadAsync("environments/dev"))!;
        var metadata = await _repo.MetadataAsync(head);
        if (metadata is null)
        {
            _steps.Add("operator: nothing to sync yet");
            return;
        }

        string what;
        if (head != _synced || _random.Next(3) == 0)
        {
            _synced = head;
            _healthy = _random.Next(4) > 0;
            what = _healthy ? "synced, healthy" : "synced, degraded";
        }
        else if (_operator == "flux" && _healthy && _random.Next(2) == 0)
        {
            what = "reconciled again, healthy";
        }
        else
        {
            _healthy = !_healthy;
            what = _healthy ? "recovered" : "degraded";
        }

        if (_healthy)
        {
            // A rollout that completes serves the new source commit; a degraded one leaves the old pods serving.
            _served = metadata.DrySha;
            _proven.Add(metadata.Build);
        }

        var payload = (_operator, _healthy) switch
        {
            ("argocd", true) => "argocd-deployed.json",
            ("argocd", false) => "argocd-degraded.json",
            (_, true) => "flux-reconciled.json",
            _ => "flux-health-check-failed.json",
        };
        var report = _github.Report(head, payload);
        _undelivered.Add(report);
        _steps.Add($"{_operator} {what} at {head[..7]} (source {metadata.DrySha[..7]}): report #{report.Id} {report.State}");
        if (_random.Next(5) < 3)
        {
            await DeliverAsync(report); // most reports reach the promotion at once; the others later, or twice
        }
    }

    /// <summary>A report reaches promote-prod.yml: any undelivered one (out of order), or one delivered before again.</summary>
    private async Task DeliverAsync(CommitStatus? next = null)
    {
        CommitStatus report;
        if (next is not null)
        {
            report = next;
            _undelivered.Remove(report);
            _delivered.Add(report);
        }
        else if (_undelivered.Count > 0 && _random.Next(4) > 0)
        {
            report = _undelivered[_random.Next(_undelivered.Count)];
            _undelivered.Remove(report);
            _delivered.Add(report);
        }
        else if (_delivered.Count > 0)
        {
            report = _delivered[_random.Next(_delivered.Count)];
        }
        else
        {
            return;
        }

        var writes = _github.Writes.Count;
        var held = _held;
        var proposal = await _repo.HeadAsync("promote/prod");
        var run = await _github.PromoteProdAsync(report, dry => dry == _served);
        var acted = _github.Writes.Skip(writes).ToList();
        _steps.Add($"deliver report #{report.Id} ({report.State} at {report.Sha[..7]}): proposed={run["proposed"]}"
            + (acted.Count == 0 ? ", no write" : $", wrote: {string.Join("; ", acted)}"));
        Saw(run["proposed"] == "true" && acted.Any(w => w.StartsWith("push", StringComparison.Ordinal)) ? "proposal made"
            : run["proposed"] == "true" ? "proposal stopped: dev does not serve its source commit"
            : run.Result.Output.Contains("superseded", StringComparison.Ordinal) ? "report on an older revision ignored"
            : run.Result.Output.Contains("on hold", StringComparison.Ordinal) ? "nothing proposed: prod held"
            : run.Result.Output.Contains("rolled back from it", StringComparison.Ordinal) ? "nothing proposed: the build was reverted"
            : run.Result.Output.Contains("newer than", StringComparison.Ordinal) ? "nothing proposed: older than prod's"
            : acted.Count == 0 ? "report changed nothing" : "report changed the promotion check only");
        if (acted.Any(w => w.Contains(" failure on ", StringComparison.Ordinal)))
        {
            Saw("promotion check turned red");
        }
        if (acted.Count > 0)
        {
            var latest = _github.Latest(report.Sha, FakeGitHub.DevContext)!;
            if (!_actedOn.Add((latest.Id, _world)))
            {
                throw Fail($"report #{latest.Id} was acted on twice, with nothing else changed in between");
            }
        }

        if (held && proposal != await _repo.HeadAsync("promote/prod"))
        {
            throw Fail("a proposal was made while prod was held");
        }
    }

    private async Task MergePromotionAsync()
    {
        if (!_github.PromotionOpen)
        {
            return;
        }

        var head = (await _repo.HeadAsync("promote/prod"))!;
        var merge = await _github.MergeAsync(head, $"Merge promotion {head[..7]}");
        _steps.Add($"merge the promotion {head[..7]}: {(merge is null ? "refused (" + _github.CheckOn(head)?.State + ")" : "merged")}");
        Saw(merge is null ? "promotion merge refused" : "promotion merged");
        if (merge is not null)
        {
            _world++;
        }
    }

    /// <summary>Someone reverts prod's last promotion (not the first: prod may not be emptied) and merges the revert.</summary>
    private async Task RevertAsync()
    {
        var prod = (await _repo.HeadAsync("environments/prod"))!;
        if (await RevertableAsync(prod) is not { } current)
        {
            return;
        }

        var revert = await _repo.RevertCommitAsync(prod);
        await _repo.PushAsync(revert, $"revert/{++_reverts}");
        var verify = await _github.PullRequestUpdatedAsync(revert);
        if (verify.Result.ExitCode != 0)
        {
            throw Fail($"the revert of {prod[..7]} fails the environment check: {verify}");
        }

        var merged = await _github.MergeAsync(revert, $"Revert {prod[..7]}");
        _steps.Add($"revert prod's {current.DrySha[..7]}: {(merged is null ? "refused" : "merged")}");
        Saw(merged is null ? "revert refused" : "revert merged");
        if (merged is not null)
        {
            _reverted.Add(current.Build);
            _world++;
        }
    }

    /// <summary>Prod's build when its head is a merge that can be reverted to an earlier build, else null.</summary>
    private async Task<Metadata?> RevertableAsync(string prod)
    {
        var parents = await _repo.ParentsAsync(prod);
        return parents.Length == 2 && await _repo.MetadataAsync(parents[0]) is not null ? await _repo.MetadataAsync(prod) : null;
    }

    private async Task HoldOrReleaseAsync()
    {
        _held = !_held;
        _world++;
        var run = await _github.PromoteProdAsync(null, dry => dry == _served, _held ? "a test hold" : "--release");
        _steps.Add($"{(_held ? "hold" : "release")} prod: proposed={run["proposed"]}");
        Saw(_held ? "hold" : "release");
    }

    private Task CloseAsync()
    {
        if (_github.PromotionOpen)
        {
            _github.ClosePromotion();
            _world++;
            _steps.Add("close the promotion pull request");
        }

        return Task.CompletedTask;
    }

    /// <summary>What must hold after every step.</summary>
    private async Task CheckAsync()
    {
        var heads = await _repo.HeadsAsync();
        var proposal = heads.GetValueOrDefault("promote/prod");
        var prod = heads["environments/prod"];
        if (_checked != (proposal, prod))
        {
            _checked = (proposal, prod);
            // Any proposed or merged prod rendering is its overlay rendered at the source commit dev ran, with dev's images.
            if (proposal is not null)
            {
                var proposed = await CheckRenderingAsync(proposal, "the proposal");
                var from = await _repo.MetadataAsync(proposed.PromotedFromRevision!);
                if (from?.Build != proposed.Build)
                {
                    throw Fail($"the proposal says it comes from dev's {proposed.PromotedFromRevision?[..7]}, which ran another build");
                }

                if (_reverted.Contains(proposed.Build) && _github.PromotionOpen)
                {
                    throw Fail($"the reverted build of {proposed.DrySha[..7]} is proposed again");
                }
            }

            if (await _repo.MetadataAsync(prod) is not null)
            {
                await CheckRenderingAsync(prod, "prod");
            }
        }

        // The promotion check says what is true: green only while dev runs that build and dev's latest report on it is a
        // success, and prod is not held (judged once GitHub delivered every report on dev's head).
        var devHead = heads["environments/dev"];
        if (_github.PromotionOpen && _github.CheckOn(proposal)?.State == "success" && !_undelivered.Any(r => r.Sha == devHead) &&
            (_held || (await _repo.MetadataAsync(devHead))?.Build != (await _repo.MetadataAsync(proposal!))?.Build ||
             _github.Latest(devHead, FakeGitHub.DevContext)?.State != "success"))
        {
            throw Fail($"the promotion check is green on {proposal![..7]} while dev's head, its latest report or the hold says otherwise");
        }
    }

    private async Task<Metadata> CheckRenderingAsync(string revision, string what)
    {
        var metadata = await _repo.MetadataAsync(revision) ?? throw Fail($"{what} ({revision[..7]}) has no hydrator.metadata");
        var expected = await ExpectedRendering.OfAsync(_repo, metadata.DrySha, "prod", metadata.Images);
        if (await _repo.ShowAsync(revision, "manifest.yaml") != expected)
        {
            throw Fail($"{what} ({revision[..7]}) is not prod's overlay at its source commit {metadata.DrySha[..7]} with its images");
        }

        if (!await _repo.IsAncestorAsync(metadata.DrySha, "main"))
        {
            throw Fail($"{what} ({revision[..7]}) names a source commit that is not on main");
        }

        if (!_proven.Contains(metadata.Build))
        {
            throw Fail($"{what} ({revision[..7]}) is a build dev never ran healthy: {metadata.Build}");
        }

        return metadata;
    }

    private SequenceFailure Fail(string message) =>
        new($"seed {_seed} ({_operator}), step {_steps.Count}: {message}\n"
            + $"replay it alone: VOTING_PROMOTION_SEED={_seed} VOTING_PROMOTION_SEQUENCES=1\nsteps:\n  {string.Join("\n  ", _steps)}");
}

/// <summary>An invariant of <see cref="PromotionSequence"/> broke.</summary>
internal sealed class SequenceFailure(string message) : Exception(message);
