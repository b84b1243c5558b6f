using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Build;

/// <summary>
/// The images ship what bench/run.sh measured (docs/performance.md): the Api compiled ahead of time, the Web as
/// ReadyToRun, and ServiceDefaults analysed for AOT on every build. Read from MSBuild's own evaluation of each
/// project, in the Release configuration the image build uses.
/// </summary>
public sealed class PublishSettingsTests
{
    [Fact]
    public async Task The_api_is_published_as_native_aot_without_its_debug_symbols()
    {
        var properties = await EvaluateAsync("Api/Voting.Api.csproj", "PublishAot", "CopyOutputSymbolsToPublishDirectory");

        Assert.Equal("true", properties["PublishAot"]);
        Assert.Equal("false", properties["CopyOutputSymbolsToPublishDirectory"]);
    }

    [Fact]
    public async Task The_web_is_published_as_ready_to_run()
    {
        var properties = await EvaluateAsync("Web/Voting.Web.csproj", "PublishReadyToRun");

        Assert.Equal("true", properties["PublishReadyToRun"]);
    }

    [Fact]
    public void The_web_runs_without_profile_guided_tiering()
    {
        var path = Path.Combine(Repository.OutputOf("Web"), "Voting.Web.runtimeconfig.json");

        var pgo = JsonNode.Parse(File.ReadAllText(path))?["runtimeOptions"]?["configProperties"]?["System.Runtime.TieredPGO"];

        Assert.True(pgo?.GetValue<bool>() == false, $"{path} sets System.Runtime.TieredPGO to {pgo?.ToJsonString() ?? "nothing (on by default)"}.");
    }

    [Fact]
    public async Task Service_defaults_are_checked_for_aot_on_every_build_and_bind_settings_without_reflection()
    {
        var properties = await EvaluateAsync("ServiceDefaults/Voting.ServiceDefaults.csproj",
            "IsAotCompatible", "EnableAotAnalyzer", "EnableTrimAnalyzer", "EnableConfigurationBindingGenerator");

        Assert.All(properties.Values, value => Assert.Equal("true", value));
    }

    [Fact]
    public async Task A_plain_build_of_the_api_stays_on_the_jit()
    {
        // `dotnet run` (the AppHost) and `dotnet test` build without a runtime identifier: no native compilation.
        var properties = await EvaluateAsync("Api/Voting.Api.csproj", "RuntimeIdentifier", "PublishAot");

        Assert.Equal("", properties["RuntimeIdentifier"]);
    }

    private static async Task<Dictionary<string, string>> EvaluateAsync(string project, params string[] names)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "msbuild", project, "-p:Configuration=Release", "-nologo" }
                     .Concat(names.Select(name => $"-getProperty:{name}")))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild {project} failed: {await error}{await output}");

        var text = (await output).Trim();
        // One property prints its bare value; several print a JSON object.
        if (names.Length == 1)
        {
            return new() { [names[0]] = text };
        }

        var json = JsonNode.Parse(text)!["Properties"]!.AsObject();
        return names.ToDictionary(name => name, name => json[name]?.GetValue<string>() ?? "");
    }
}
