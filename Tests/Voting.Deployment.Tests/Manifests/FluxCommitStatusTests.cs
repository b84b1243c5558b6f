using System.Text.Json;
using System.Text.RegularExpressions;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// Flux reports each revision's outcome to GitHub once: recorded kustomize-controller event sequences, run through
/// the rendered Alert and Provider as notification-controller handles them, give exactly one commit status per
/// revision and outcome, and none for events that are no outcome.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed partial class FluxCommitStatusTests(RenderedManifestsFixture fixture)
{
    private const string Dev = "continuous-delivery/voting-dev";

    [Theory]
    [InlineData("new-revision-healthy.json", Dev, "aaaaaaa success: reconciliation succeeded")]
    [InlineData("periodic-no-change.json", Dev, "aaaaaaa success: reconciliation succeeded")]
    [InlineData("failing-revision-retried.json", Dev, "bbbbbbb failure: health check failed")]
    [InlineData("dependency-not-ready.json", "continuous-delivery/voting-prod", "ccccccc success: reconciliation succeeded")]
    [InlineData("superseded-revision.json", Dev, "eeeeeee success: reconciliation succeeded")]
    public void Each_revision_gets_one_commit_status_for_its_outcome(string recording, string context, string expected)
    {
        var events = JsonSerializer.Deserialize<List<FluxEvent>>(
            File.ReadAllText(Path.Combine(Repository.Root, "Tests", "Voting.Deployment.Tests", "Manifests", "FluxEvents", recording)), Json)!;
        var github = new NotificationController(Flux("Alert"), Flux("Provider"));

        foreach (var item in events)
        {
            github.Handle(item);
        }

        var posted = Assert.Single(github.Posted);
        Assert.Equal(context, posted.Context);
        Assert.Equal(expected, $"{posted.Commit[..7]} {posted.State}: {posted.Description}");
    }

    private CustomResource Flux(string kind) => fixture.Objects("flux").Cast<CustomResource>().Single(o => o.Kind == kind);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>An event as kustomize-controller sends it to notification-controller (fluxcd/pkg apis/event/v1beta1).</summary>
    private sealed record FluxEvent(InvolvedObject InvolvedObject, string Severity, string Message, string Reason, Dictionary<string, string> Metadata);

    private sealed record InvolvedObject(string Kind, string Namespace, string Name, string ApiVersion);

    private sealed record CommitStatus(string Commit, string Context, string State, string Description);

    /// <summary>
    /// A model of notification-controller's path from an event to a GitHub commit status, from fluxcd/notification-controller:
    /// <list type="bullet">
    /// <item>internal/server/event_server.go, cleanupMetadata: metadata keys of the involved object's API group lose that prefix.</item>
    /// <item>internal/server/event_handlers.go: an Alert takes an event from one of its eventSources; eventSeverity info
    /// takes info and error events; an event whose message matches an exclusionList regex is dropped.</item>
    /// <item>internal/notifier/github.go: events with reason Progressing are skipped; the revision metadata names the
    /// commit; info becomes success and error failure; the description is the reason in words; nothing is posted when
    /// the latest status of the context on that commit (among the first 50) has the same state and description.</item>
    /// </list>
    /// The event limiter is left out: its key includes the message, which carries a duration, so it drops none of these.
    /// The exclusion regexes are Go's RE2; the ones rendered use nothing .NET reads differently.
    /// </summary>
    private sealed class NotificationController(CustomResource alert, CustomResource provider)
    {
        private readonly List<Regex> _exclusions = [.. alert.Items("spec", "exclusionList").Select(e => new Regex(e.Root.GetValue<string>(), RegexOptions.None, TimeSpan.FromSeconds(1)))];

        /// <summary>Every status created, oldest first.</summary>
        public List<CommitStatus> Posted { get; } = [];

        public void Handle(FluxEvent item)
        {
            var fromSource = alert.Items("spec", "eventSources").Any(s => s["kind"] == item.InvolvedObject.Kind && s["name"] == item.InvolvedObject.Name);
            var severity = alert["spec", "eventSeverity"] == "info" || alert["spec", "eventSeverity"] == item.Severity;
            if (!fromSource || !severity || _exclusions.Any(e => e.IsMatch(item.Message)) || item.Reason == "Progressing")
            {
                return;
            }

            var group = item.InvolvedObject.ApiVersion.Split('/')[0] + "/";
            var revision = item.Metadata.Single(m => m.Key == group + "revision").Value;
            var status = new CommitStatus(
                revision[(revision.LastIndexOf(':') + 1)..],
                StatusContext(item.InvolvedObject.Name),
                item.Severity == "info" ? "success" : "failure",
                CamelCaseWord().Replace(item.Reason, " ").ToLowerInvariant());

            var latest = Posted.Where(p => p.Commit == status.Commit).Reverse().Take(50).FirstOrDefault(p => p.Context == status.Context);
            if (latest is null || (latest.State, latest.Description) != (status.State, status.Description))
            {
                Posted.Add(status);
            }
        }

        /// <summary>The Provider's commitStatusExpr, <c>'PREFIX' + event.involvedObject.name</c>, evaluated.</summary>
        private string StatusContext(string name)
        {
            var expression = StatusExpression().Match(provider["spec", "commitStatusExpr"]!);
            Assert.True(expression.Success, provider["spec", "commitStatusExpr"]);
            return expression.Groups["prefix"].Value + name;
        }
    }

    [GeneratedRegex("(?<=[a-z])(?=[A-Z])")]
    private static partial Regex CamelCaseWord();

    [GeneratedRegex(@"^'(?<prefix>[^']*)' \+ event\.involvedObject\.name$")]
    private static partial Regex StatusExpression();
}
