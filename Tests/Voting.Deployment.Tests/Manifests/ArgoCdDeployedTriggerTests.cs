using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using YamlDotNet.Serialization;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// Argo CD reports "deployed" (the commit status promotion waits for) only once the environment is healthy after the
/// sync finished, never on the health the previous revision left behind.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class ArgoCdDeployedTriggerTests(RenderedManifestsFixture fixture)
{
    /// <summary>
    /// Argo CD's catalog trigger on-deployed, as fixed for the report that fired while the app was still progressing:
    /// argoproj/argo-cd, notifications_catalog/triggers/on-deployed.yaml, commit 7b1ed52 ("fix: On deployed trigger
    /// must consider race between last transition time and sync finished time (#9070)").
    /// </summary>
    private const string CatalogCondition =
        "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'"
        + " and !time.Parse(app.status.health.lastTransitionTime).Before(time.Parse(app.status.operationState.finishedAt))";

    private const string CatalogOncePer = "app.status.operationState?.syncResult?.revision";

    /// <summary>
    /// The condition's clauses, each as C# over an Application's status. The rendered condition is read as these
    /// clauses joined by <c>and</c>; a clause not listed here fails the test rather than being guessed at.
    /// </summary>
    private static readonly Dictionary<string, Func<JsonNode, bool>> Clauses = new(StringComparer.Ordinal)
    {
        ["app.status.operationState != nil"] = app => app["status"]?["operationState"] is not null,
        ["app.status.operationState.phase in ['Succeeded']"] = app => (string?)app["status"]!["operationState"]!["phase"] == "Succeeded",
        ["app.status.health.status == 'Healthy'"] = app => (string?)app["status"]!["health"]!["status"] == "Healthy",
        // time.Before is strictly earlier: a health transition at the very instant the sync finished counts.
        ["!time.Parse(app.status.health.lastTransitionTime).Before(time.Parse(app.status.operationState.finishedAt))"] = app =>
            !(Time(app["status"]!["health"]!["lastTransitionTime"]) < Time(app["status"]!["operationState"]!["finishedAt"])),
    };

    [Fact]
    public void The_deployed_trigger_is_the_catalogs_condition_that_waits_for_health_after_the_sync()
    {
        var trigger = DeployedTrigger();

        Assert.Equal(CatalogCondition, trigger["when"]);
        Assert.Equal(CatalogOncePer, trigger["oncePer"]);
    }

    /// <summary>
    /// Three recorded states of an Application right after a sync of revision b1 finished at 10:00:05: still
    /// progressing; healthy, but the health is the one from before the sync (10:00:00); healthy again after the rollout
    /// (10:00:41). Only the last may report "deployed".
    /// </summary>
    [Theory]
    [InlineData("Progressing", "2026-12-07T10:00:06Z", false)]
    [InlineData("Healthy", "2026-12-07T10:00:00Z", false)]
    [InlineData("Healthy", "2026-12-07T10:00:41Z", true)]
    public void Only_health_reached_after_the_sync_finished_reports_deployed(string health, string lastTransitionTime, bool fires)
    {
        var application = JsonNode.Parse($$"""
            {
              "metadata": { "name": "voting-dev", "namespace": "argocd" },
              "status": {
                "sync": { "status": "Synced", "revision": "b1" },
                "health": { "status": "{{health}}", "lastTransitionTime": "{{lastTransitionTime}}" },
                "operationState": {
                  "phase": "Succeeded",
                  "startedAt": "2026-12-07T10:00:02Z",
                  "finishedAt": "2026-12-07T10:00:05Z",
                  "syncResult": { "revision": "b1" }
                }
              }
            }
            """)!;

        var clauses = DeployedTrigger()["when"]!.Split(" and ");

        Assert.All(clauses, clause => Assert.True(Clauses.ContainsKey(clause), $"no model for the clause: {clause}"));
        Assert.Equal(fires, clauses.All(clause => Clauses[clause](application)));
    }

    /// <summary>The one condition of trigger.on-deployed-commit-status, as Argo CD Notifications reads it.</summary>
    private Dictionary<string, string> DeployedTrigger()
    {
        var notifications = fixture.Objects("argocd/apps").OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "argocd-notifications-cm");
        return Assert.Single(new Deserializer().Deserialize<List<Dictionary<string, object>>>(notifications.Data["trigger.on-deployed-commit-status"]))
            .Where(pair => pair.Value is string).ToDictionary(pair => pair.Key, pair => (string)pair.Value);
    }

    private static DateTimeOffset Time(JsonNode? value) => DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture);
}
