using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Azure;

/// <summary>The committed Grafana dashboard (infra/grafana/voting-dashboard.json) that bootstrap.sh imports.</summary>
internal static class GrafanaDashboard
{
    public static readonly string Path = System.IO.Path.Combine(Repository.Root, "infra", "grafana", "voting-dashboard.json");

    public static JsonObject Load() => (JsonObject)JsonNode.Parse(File.ReadAllText(Path))!;

    public static IEnumerable<JsonObject> Panels(JsonObject dashboard) => dashboard["panels"]!.AsArray().Cast<JsonObject>();

    public static IEnumerable<(JsonObject Panel, JsonObject Target)> Targets(JsonObject dashboard) =>
        Panels(dashboard).SelectMany(p => p["targets"]!.AsArray().Cast<JsonObject>().Select(t => (p, t)));
}
