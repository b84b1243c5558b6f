using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// infra/main.bicep and infra/main.bicepparam compiled once per test run into ARM JSON: the tests read what Azure
/// would receive, not the Bicep source.
/// </summary>
public sealed class CompiledTemplateFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("voting-infra-").FullName;

    public JsonObject Template { get; private set; } = [];

    /// <summary>The values main.bicepparam gives (parameters it leaves out keep their defaults).</summary>
    public JsonObject Parameters { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Template = await BuildAsync("build", "main.bicep", "main.json");
        Parameters = (JsonObject)(await BuildAsync("build-params", "main.bicepparam", "main.parameters.json"))["parameters"]!;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>Every resource of the deployment, modules expanded, each with the context its expressions evaluate in.</summary>
    internal IEnumerable<DeployedResource> Resources() =>
        DeployedResource.Enumerate(Template, TemplateContext.ForMain(Template, Parameters), scopeKind: "subscription");

    private async Task<JsonObject> BuildAsync(string command, string source, string output)
    {
        var outfile = Path.Combine(_folder, output);
        var (exitCode, diagnostics) = await BicepCli.RunAsync(command, Path.Combine(BicepCli.InfraFolder, source), "--outfile", outfile);
        Assert.True(exitCode == 0 && diagnostics.Length == 0, $"bicep {command} {source}:\n{diagnostics}");
        return (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(outfile))!;
    }
}

[CollectionDefinition(Name)]
public sealed class CompiledTemplateCollection : ICollectionFixture<CompiledTemplateFixture>
{
    public const string Name = "Compiled infra template";
}
