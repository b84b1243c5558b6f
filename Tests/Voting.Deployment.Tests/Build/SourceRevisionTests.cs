using System.Text.RegularExpressions;

namespace Voting.Deployment.Tests.Build;

/// <summary>
/// The commit each image reports at /version is the one build-images.yml built: its publish sets SourceRevisionId from
/// GITHUB_SHA, and the SDK turns that into the informational version the services read (<c>1.0.0+SHA</c>).
/// </summary>
public sealed class SourceRevisionTests
{
    private const string Commit = "4f8a6c2d0b9e71a35c6d8e2f10ab47c9d3e5f601";

    [Theory]
    [InlineData("Api/Voting.Api.csproj")]
    [InlineData("Web/Voting.Web.csproj")]
    public async Task The_image_build_stamps_each_service_with_the_commit_it_builds(string project)
    {
        var workflow = File.ReadAllText(Path.Combine(Repository.Root, ".github", "workflows", "build-images.yml"));
        var publish = Regex.Match(workflow, $@"dotnet publish {Regex.Escape(project)} (?:[^\n]*\\\n)*[^\n]*");
        Assert.True(publish.Success, $"build-images.yml does not publish {project}.");
        Assert.Contains("-p:SourceRevisionId=\"$GITHUB_SHA\"", publish.Value, StringComparison.Ordinal);

        var version = await Script.RunCheckedAsync("dotnet", Repository.Root, "msbuild", project, "-nologo", "-p:Configuration=Release",
            $"-p:SourceRevisionId={Commit}", "-t:AddSourceRevisionToInformationalVersion", "-getProperty:InformationalVersion");

        Assert.EndsWith($"+{Commit}", version.Trim(), StringComparison.Ordinal);
    }
}
