using System.Text.Json;
using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>A commit status as GitHub holds it, and as its <c>status</c> event carries it.</summary>
public sealed record CommitStatus(long Id, string Sha, string Context, string State, string Description, string? TargetUrl)
{
    /// <summary>The JSON the workflows give the scripts: the status API's object, with the commit it is on.</summary>
    public string ToJson() => JsonSerializer.Serialize(new { id = Id, sha = Sha, context = Context, state = State, description = Description, target_url = TargetUrl });
}

/// <summary>
/// GitHub as the pull-mode workflows meet it, played in memory, around the real scripts and the real repository: the
/// commit statuses (the GitOps operators' reports of dev, the promotion check), the promotion pull request and the
/// verification of every pull request into environments/prod, and the steps cd-gitops.yml, promote-prod.yml and
/// verify-environment.yml take with GitHub's API. No GitHub can run here; this is what those workflows do with it.
/// </summary>
public sealed class FakeGitHub(GitOpsRepository repository)
{
    public const string DevContext = "continuous-delivery/voting-dev";
    public const string CheckContext = "promotion/dev-runs-this";
    private const string Prod = "environments/prod";
    private const string Proposal = "promote/prod";

    private readonly Dictionary<string, List<CommitStatus>> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _verified = new(StringComparer.Ordinal);
    private long _lastId = 1000;

    /// <summary>Whether the pull request from promote/prod into environments/prod is open.</summary>
    public bool PromotionOpen { get; private set; }

    /// <summary>Every write the workflows made through GitHub: a status posted, a branch pushed, a pull request opened.</summary>
    public List<string> Writes { get; } = [];

    /// <summary>
    /// A report of dev's deployment on <paramref name="sha"/>, as Argo CD Notifications or Flux's notification-controller
    /// posts it: one of the recorded payloads in Payloads/ (their context, state, description and link).
    /// </summary>
    public CommitStatus Report(string sha, string payload)
    {
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(
            Repository.Root, "Tests", "Voting.Deployment.Tests", "Promotion", "Payloads", payload)).Replace("{{sha}}", sha, StringComparison.Ordinal))!;
        return Add(new CommitStatus(++_lastId, sha, (string)recorded["context"]!, (string)recorded["state"]!,
            (string)recorded["description"]!, (string?)recorded["target_url"]));
    }

    /// <summary>The latest status of a context on a commit, as the status API lists it first.</summary>
    public CommitStatus? Latest(string? sha, string context) =>
        sha is not null && _statuses.TryGetValue(sha, out var statuses) ? statuses.LastOrDefault(s => s.Context == context) : null;

    /// <summary>The promotion check GitHub shows on a commit, or null.</summary>
    public Check? CheckOn(string? sha) => Latest(sha, CheckContext) is { } s ? new Check(s.Sha, s.State, s.Description) : null;

    /// <summary>
    /// promote-prod.yml: for a status event (<paramref name="trigger"/>), or a dispatch (null) that may first hold or
    /// release prod. It acts on the latest report on the reported commit, not on the event; posts the promotion check
    /// when its verdict changed; and when a proposal is made, checks that dev serves its source commit
    /// (<paramref name="devServes"/>: the smoke test) before pushing it, opening the pull request and marking it green.
    /// </summary>
    public async Task<ScriptRun> PromoteProdAsync(CommitStatus? trigger, Func<string, bool> devServes, string? holdOrRelease = null)
    {
        if (holdOrRelease is not null)
        {
            var hold = await repository.HoldAsync(holdOrRelease);
            Assert.True(hold.Result.ExitCode == 0, hold.ToString());
        }

        var sha = trigger?.Sha ?? await repository.HeadAsync("environments/dev") ?? "";
        var status = Latest(sha, DevContext) ?? new CommitStatus(0, sha, DevContext, "pending", "no report yet", null);
        var run = await repository.PromoteAsync(status.ToJson(), CheckOn(await repository.HeadAsync(Proposal)));
        PostIfChanged(run);
        if (run["proposed"] != "true" || !devServes(run["dry-sha"]))
        {
            return run;
        }

        await repository.PushAsync(run["proposal"], Proposal);
        Writes.Add($"push {Proposal} {run["proposal"][..7]}");
        if (!PromotionOpen)
        {
            PromotionOpen = true;
            Writes.Add("open the promotion pull request");
        }

        Post(run["proposal"], "success", run["proposal-check-description"]);
        await PullRequestUpdatedAsync(run["proposal"], promotion: true);
        return run;
    }

    /// <summary>cd-gitops.yml's dev job: hydrates dev with a build, then judges the open promotion, if any, again.</summary>
    public async Task<ScriptRun> CdDevAsync(string sourceSha, string[] images)
    {
        var hydrate = await repository.HydrateAsync(sourceSha, images);
        Assert.True(hydrate.Result.ExitCode == 0, hydrate.ToString());
        if (hydrate["hydrated"] == "true" && PromotionOpen)
        {
            PostIfChanged(await repository.PromotionCheckAsync(current: CheckOn(await repository.HeadAsync(Proposal))));
        }

        return hydrate;
    }

    /// <summary>
    /// verify-environment.yml, for a pull request into environments/prod opened or updated at <paramref name="head"/>:
    /// the environment check, and the promotion check's verdict unless it is the promotion's own pull request.
    /// </summary>
    public async Task<ScriptRun> PullRequestUpdatedAsync(string head, bool promotion = false)
    {
        var verify = await repository.VerifyAsync("prod", head);
        _verified[head] = verify.Result.ExitCode == 0;
        if (!promotion)
        {
            var devHead = await repository.HeadAsync("environments/dev");
            PostIfChanged(await repository.PromotionCheckAsync(head, Latest(devHead, DevContext)?.ToJson(), CheckOn(head)));
        }

        return verify;
    }

    /// <summary>
    /// The merge button, as environments/prod's ruleset allows it: the head passed the verification, its promotion
    /// check is green, and it is up to date with environments/prod. Returns the merge, or null when GitHub refuses.
    /// </summary>
    public async Task<string?> MergeAsync(string head, string title)
    {
        var prod = await repository.HeadAsync(Prod);
        var upToDate = (await repository.ParentsAsync(head)).Contains(prod);
        if (!_verified.GetValueOrDefault(head) || CheckOn(head)?.State != "success" || !upToDate)
        {
            return null;
        }

        if (head == await repository.HeadAsync(Proposal))
        {
            PromotionOpen = false;
        }

        return await repository.MergeAsync(head, Prod, title);
    }

    /// <summary>A reviewer closes the promotion pull request without merging it.</summary>
    public void ClosePromotion() => PromotionOpen = false;

    private void PostIfChanged(ScriptRun run)
    {
        Assert.True(run.Result.ExitCode == 0, run.ToString());
        if (run["check-changed"] == "true")
        {
            Post(run["check-sha"], run["check-state"], run["check-description"]);
        }
    }

    private void Post(string sha, string state, string description)
    {
        Add(new CommitStatus(++_lastId, sha, CheckContext, state, description, null));
        Writes.Add($"post {CheckContext} {state} on {sha[..7]}: {description}");
    }

    private CommitStatus Add(CommitStatus status)
    {
        if (!_statuses.TryGetValue(status.Sha, out var statuses))
        {
            _statuses[status.Sha] = statuses = [];
        }

        statuses.Add(status);
        return status;
    }
}
