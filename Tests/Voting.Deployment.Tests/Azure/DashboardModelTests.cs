using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// The dashboard JSON against Grafana's dashboard model (the fields Grafana 10-11 reads on import, schemaVersion 39):
/// a uid Grafana accepts, a 24-column grid with no overlapping panels, unique panel ids and query refIds, panel types
/// that ship with Grafana, and data sources that are template variables of the matching plugin, so the import binds
/// to whatever data sources the Grafana instance has.
/// </summary>
public sealed class DashboardModelTests
{
    private static readonly HashSet<string> CorePanelTypes = ["timeseries", "stat", "gauge", "bargauge", "table", "text", "barchart", "piechart", "state-timeline"];
    private static readonly HashSet<string> VariableTypes = ["datasource", "textbox", "custom", "constant", "query", "interval"];

    private readonly JsonObject _dashboard = GrafanaDashboard.Load();

    [Fact]
    public void Has_the_top_level_fields_Grafana_requires()
    {
        var uid = _dashboard["uid"]!.GetValue<string>();
        Assert.Matches("^[A-Za-z0-9_-]{1,40}$", uid);
        Assert.False(string.IsNullOrWhiteSpace(_dashboard["title"]!.GetValue<string>()));
        Assert.InRange(_dashboard["schemaVersion"]!.GetValue<int>(), 36, 41);
        Assert.NotEmpty(GrafanaDashboard.Panels(_dashboard));
        Assert.Null(_dashboard["id"]); // an id would overwrite whichever dashboard has it in the target Grafana
    }

    [Fact]
    public void Panels_have_unique_ids_core_types_and_fit_the_grid_without_overlap()
    {
        var panels = GrafanaDashboard.Panels(_dashboard).ToList();
        Assert.Equal(panels.Count, panels.Select(p => p["id"]!.GetValue<int>()).Distinct().Count());

        var cells = new HashSet<(int X, int Y)>();
        foreach (var panel in panels)
        {
            Assert.Contains(panel["type"]!.GetValue<string>(), CorePanelTypes);
            var grid = panel["gridPos"]!;
            int x = grid["x"]!.GetValue<int>(), y = grid["y"]!.GetValue<int>(), w = grid["w"]!.GetValue<int>(), h = grid["h"]!.GetValue<int>();
            Assert.True(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24, $"Panel '{panel["title"]}' is off the 24-column grid.");
            for (var column = x; column < x + w; column++)
            {
                for (var row = y; row < y + h; row++)
                {
                    Assert.True(cells.Add((column, row)), $"Panel '{panel["title"]}' overlaps another at ({column},{row}).");
                }
            }
        }
    }

    [Fact]
    public void Every_query_has_a_unique_refId_and_a_data_source_variable_of_its_plugin()
    {
        var variables = _dashboard["templating"]!["list"]!.AsArray().Cast<JsonObject>().ToList();
        Assert.Equal(variables.Count, variables.Select(v => v["name"]!.GetValue<string>()).Distinct().Count());
        Assert.All(variables, v => Assert.Contains(v["type"]!.GetValue<string>(), VariableTypes));
        var dataSourcePlugins = variables.Where(v => v["type"]!.GetValue<string>() == "datasource")
            .ToDictionary(v => $"${{{v["name"]!.GetValue<string>()}}}", v => v["query"]!.GetValue<string>());

        foreach (var panel in GrafanaDashboard.Panels(_dashboard))
        {
            var targets = panel["targets"]!.AsArray().Cast<JsonObject>().ToList();
            Assert.NotEmpty(targets);
            Assert.Equal(targets.Count, targets.Select(t => t["refId"]!.GetValue<string>()).Distinct().Count());
            foreach (var source in targets.Select(t => t["datasource"]!).Append(panel["datasource"]!))
            {
                var uid = source["uid"]!.GetValue<string>();
                Assert.True(dataSourcePlugins.TryGetValue(uid, out var plugin), $"Panel '{panel["title"]}' uses data source {uid}, not a datasource variable.");
                Assert.Equal(plugin, source["type"]!.GetValue<string>());
            }
        }
    }
}
