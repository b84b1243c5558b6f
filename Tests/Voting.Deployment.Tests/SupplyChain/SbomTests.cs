using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.SupplyChain;

/// <summary>
/// The SBOM each image ships with (.github/scripts/sbom.sh, run by build-images.yml and .ci/run), generated from the
/// real Api and Web projects: a valid CycloneDX document that names what the repository says the image contains.
/// </summary>
public sealed class SbomTests(SbomFixture fixture) : IClassFixture<SbomFixture>
{
    [Fact]
    public async Task Is_valid_against_the_CycloneDX_schema()
    {
        SbomGenerator.Require();

        var result = await Script.RunAsync("bash", [Path.Combine(Script.RepositoryRoot, ".ci", "sbom", "validate.sh"), .. fixture.Paths.Values],
            timeout: TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(fixture.Paths.Count, result.Output.Split('\n').Count(line => line.EndsWith("valid CycloneDX 1.6", StringComparison.Ordinal)));
    }

    [Fact]
    public void Names_the_image_and_the_commit_it_describes()
    {
        SbomGenerator.Require();

        foreach (var image in SbomImages.Projects.Keys)
        {
            var subject = fixture.Document(image)["metadata"]!["component"]!;
            Assert.Equal(image, (string?)subject["name"]);
            Assert.Equal("test", (string?)subject["version"]);
        }
    }

    [Fact]
    public void Names_every_direct_package_with_its_exact_central_version()
    {
        SbomGenerator.Require();

        var versions = CentralPackages.Versions();
        foreach (var (image, project) in SbomImages.Projects)
        {
            var components = Components(fixture.Document(image));
            var direct = CentralPackages.DirectPackagesOf(project);
            Assert.NotEmpty(direct);
            foreach (var package in direct)
            {
                Assert.True(components.TryGetValue(package, out var component), $"{image}: {package} is not in the SBOM.");
                Assert.Equal(versions[package], (string?)component["version"]);
                Assert.Equal($"pkg:nuget/{package}@{versions[package]}", (string?)component["purl"]);
            }
        }
    }

    [Fact]
    public void Names_the_Redis_client_the_api_talks_to_Redis_with_and_the_web_ships_none()
    {
        SbomGenerator.Require();

        // A transitive dependency (through Aspire.StackExchange.Redis): the kind of package an SBOM exists to show.
        var components = Components(fixture.Document("voting/api"));
        Assert.True(components.TryGetValue("StackExchange.Redis", out var redis), "voting/api: StackExchange.Redis is not in the SBOM.");
        var version = (string?)redis["version"];
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
        Assert.Equal($"pkg:nuget/StackExchange.Redis@{version}", (string?)redis["purl"]);
        Assert.NotEmpty(redis["hashes"]!.AsArray());
        // The Web reaches the votes only through the Api.
        Assert.DoesNotContain("StackExchange.Redis", Components(fixture.Document("voting/web")).Keys);
    }

    [Fact]
    public void Leaves_out_what_does_not_ship_in_the_image()
    {
        SbomGenerator.Require();

        foreach (var image in SbomImages.Projects.Keys)
        {
            var names = Components(fixture.Document(image)).Keys;
            Assert.DoesNotContain(names, name => name.StartsWith("xunit", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("Aspire.Hosting", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Microsoft.Garnet", StringComparison.OrdinalIgnoreCase));
        }
    }

    private static Dictionary<string, JsonNode> Components(JsonObject document) =>
        document["components"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => c!, StringComparer.OrdinalIgnoreCase);
}
