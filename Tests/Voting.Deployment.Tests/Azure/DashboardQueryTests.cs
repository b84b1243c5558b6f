using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Voting.Api.Voting;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// Every dashboard query reads data this deployment really collects. The app's telemetry reaches Application
/// Insights through the Azure Monitor OpenTelemetry exporter (it has no Prometheus endpoint to scrape), which writes
/// the workspace tables AppRequests (incoming requests) and AppMetrics (the app's own instruments, name in Name,
/// tags in Properties). Managed Prometheus scrapes kube-state-metrics by default, which gives Redis readiness and
/// container restarts. So: Log Analytics queries name one of those tables, and an AppMetrics query names an
/// instrument and tag the app emits; PromQL queries name a kube-state-metrics series.
/// </summary>
public sealed partial class DashboardQueryTests
{
    private const string AzureMonitorPlugin = "grafana-azure-monitor-datasource";
    private const string PrometheusPlugin = "prometheus";

    /// <summary>Workspace tables the Azure Monitor exporter writes (workspace-based Application Insights).</summary>
    private static readonly HashSet<string> ApplicationInsightsTables = ["AppRequests", "AppDependencies", "AppMetrics", "AppExceptions", "AppTraces"];

    /// <summary>Instruments the app emits: its own (VotingMetrics) and the ASP.NET Core and HttpClient ones it enables.</summary>
    private static readonly HashSet<string> EmittedInstruments =
        [VotingMetrics.VotesCounterName, "http.server.request.duration", "http.client.request.duration"];

    private static readonly HashSet<string> EmittedTags = [VotingMetrics.OptionTag];

    /// <summary>kube-state-metrics series in managed Prometheus's default (minimal ingestion) profile.</summary>
    private static readonly HashSet<string> KubeStateMetrics =
        ["kube_statefulset_status_replicas_ready", "kube_deployment_status_replicas_ready", "kube_pod_container_status_restarts_total", "kube_pod_status_phase"];

    private static readonly HashSet<string> PromQlWords = ["sum", "by", "increase", "rate", "max", "min", "avg", "without", "count"];

    private readonly JsonObject _dashboard = GrafanaDashboard.Load();

    [Fact]
    public void Log_Analytics_queries_read_Application_Insights_tables_and_the_app_instruments_and_tags()
    {
        var queries = Queries(AzureMonitorPlugin, t => t["azureLogAnalytics"]!["query"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(queries);
        foreach (var (title, query) in queries)
        {
            var table = TableName().Match(query).Groups[1].Value;
            Assert.True(ApplicationInsightsTables.Contains(table), $"'{title}' reads table '{table}', which this deployment does not fill.");
            foreach (Match name in MetricName().Matches(query))
            {
                Assert.True(EmittedInstruments.Contains(name.Groups[1].Value), $"'{title}' reads metric '{name.Groups[1].Value}', which the app does not emit.");
            }

            foreach (Match tag in PropertyName().Matches(query))
            {
                Assert.True(EmittedTags.Contains(tag.Groups[1].Value), $"'{title}' reads tag '{tag.Groups[1].Value}', which the app does not set.");
            }

            if (table == "AppMetrics")
            {
                Assert.Matches(MetricName(), query);
            }
        }
    }

    [Fact]
    public void The_votes_panel_counts_the_app_vote_counter_by_option()
    {
        var votes = Queries(AzureMonitorPlugin, t => t["azureLogAnalytics"]!["query"]!.GetValue<string>())
            .Single(q => q.Query.StartsWith("AppMetrics", StringComparison.Ordinal)).Query;
        Assert.Contains($"Name == \"{VotingMetrics.VotesCounterName}\"", votes, StringComparison.Ordinal);
        Assert.Contains($"Properties[\"{VotingMetrics.OptionTag}\"]", votes, StringComparison.Ordinal);
    }

    [Fact]
    public void PromQL_queries_read_kube_state_metrics_series()
    {
        var queries = Queries(PrometheusPlugin, t => t["expr"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(queries);
        foreach (var (title, expression) in queries)
        {
            // Series names: identifiers not followed by '(' (functions) and not inside {...} or [...].
            var outside = SelectorsAndRanges().Replace(expression, " ");
            var series = Identifier().Matches(outside).Select(m => m.Value).Where(w => !PromQlWords.Contains(w)).ToList();
            Assert.NotEmpty(series);
            Assert.All(series, s => Assert.True(KubeStateMetrics.Contains(s), $"'{title}' reads series '{s}', which managed Prometheus does not collect by default."));
        }
    }

    private IEnumerable<(string Title, string Query)> Queries(string plugin, Func<JsonObject, string> text) =>
        GrafanaDashboard.Targets(_dashboard)
            .Where(x => x.Target["datasource"]!["type"]!.GetValue<string>() == plugin)
            .Select(x => (x.Panel["title"]!.GetValue<string>(), text(x.Target)));

    [GeneratedRegex(@"^\s*([A-Za-z_]+)")]
    private static partial Regex TableName();

    [GeneratedRegex(@"\bName\s*==\s*""([^""]+)""")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"Properties\[""([^""]+)""\]")]
    private static partial Regex PropertyName();

    [GeneratedRegex(@"\{[^}]*\}|\[[^\]]*\]|\([a-z]+\)")]
    private static partial Regex SelectorsAndRanges();

    [GeneratedRegex(@"\b[a-z_][a-z0-9_]*\b(?!\s*\()")]
    private static partial Regex Identifier();
}
