using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.SupplyChain;

/// <summary>
/// Generates the Api's and the Web's SBOMs once, with .github/scripts/sbom.sh on the real projects (the step the
/// image build runs), into a temporary folder.
/// </summary>
public sealed class SbomFixture : IAsyncLifetime, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("voting-sbom-").FullName;
    private readonly Dictionary<string, string> paths = [];

    public IReadOnlyDictionary<string, string> Paths => paths;

    public JsonObject Document(string image) => (JsonObject)JsonNode.Parse(File.ReadAllText(paths[image]))!;

    public async ValueTask InitializeAsync()
    {
        if (!RequiredTools.AreRequired && !SbomGenerator.IsAvailable)
        {
            return;
        }

        // One after the other: both restore the shared ServiceDefaults project.
        foreach (var (image, project) in SbomImages.Projects)
        {
            var path = Path.Combine(folder, image.Replace('/', '-') + ".cdx.json");
            var result = await Script.RunAsync("bash", [Script.Path("sbom.sh"), project, path, image],
                environment: new Dictionary<string, string> { ["SBOM_VERSION"] = "test" }, timeout: TimeSpan.FromMinutes(5));
            Assert.True(result.ExitCode == 0, $"sbom.sh {project}: {result}");
            paths[image] = path;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose() => Directory.Delete(folder, recursive: true);
}

internal static class SbomImages
{
    /// <summary>Each image and the project it is published from (build-images.yml).</summary>
    public static readonly IReadOnlyDictionary<string, string> Projects = new Dictionary<string, string>
    {
        ["voting/api"] = "Api/Voting.Api.csproj",
        ["voting/web"] = "Web/Voting.Web.csproj",
    };
}
