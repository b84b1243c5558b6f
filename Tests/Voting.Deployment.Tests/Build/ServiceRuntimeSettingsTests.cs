using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Build;

/// <summary>
/// The Api and the Web run with workstation GC (set once, in Directory.Build.props), the Web without profile-guided
/// tiering (why: docs/performance.md). The runtime reads these from the runtimeconfig.json built beside each service,
/// the file `dotnet publish` puts in its image, so that file is what is checked.
/// </summary>
public sealed class ServiceRuntimeSettingsTests
{
    [Theory]
    [InlineData("Api", "Voting.Api")]
    [InlineData("Web", "Voting.Web")]
    public void The_service_runs_with_workstation_gc(string projectFolder, string assemblyName)
    {
        var path = Path.Combine(Repository.OutputOf(projectFolder), $"{assemblyName}.runtimeconfig.json");

        var serverGc = JsonNode.Parse(File.ReadAllText(path))?["runtimeOptions"]?["configProperties"]?["System.GC.Server"];

        Assert.True(serverGc?.GetValue<bool>() == false,
            $"{path} sets System.GC.Server to {serverGc?.ToJsonString() ?? "nothing (the Web SDK's default: server GC)"}, not false.");
    }

    [Fact]
    public void The_web_runs_without_profile_guided_tiering()
    {
        var path = Path.Combine(Repository.OutputOf("Web"), "Voting.Web.runtimeconfig.json");

        var pgo = JsonNode.Parse(File.ReadAllText(path))?["runtimeOptions"]?["configProperties"]?["System.Runtime.TieredPGO"];

        Assert.True(pgo?.GetValue<bool>() == false, $"{path} sets System.Runtime.TieredPGO to {pgo?.ToJsonString() ?? "nothing (on by default)"}.");
    }
}
