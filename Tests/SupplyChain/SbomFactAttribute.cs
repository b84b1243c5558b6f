using System.Diagnostics;
using Voting.AppHost;
using Voting.Tests.Infrastructure;
using Voting.Tests.Workflows;

namespace Voting.Tests.SupplyChain;

/// <summary>
/// A test that needs the SBOM generator (CycloneDX's dotnet tool, which .github/scripts/sbom.sh installs at its pinned
/// version) besides bash, jq, node and npm. Where the tool cannot be installed the test is skipped, naming it, unless
/// VOTING_TEST_REQUIRE_TOOLS=true makes that a failure (CI), as for every <see cref="ToolFactAttribute"/>.
/// </summary>
public sealed class SbomFactAttribute : FactAttribute
{
    public SbomFactAttribute() => Skip = RequiredTools.SkipReason(["bash", "jq", "node", "npm"]) ?? SbomGenerator.SkipReason.Value;
}

internal static class SbomGenerator
{
    /// <summary>Tries the install once per test run (a no-op once installed); null when the tool is there.</summary>
    public static readonly Lazy<string?> SkipReason = new(TryInstall);

    private static string? TryInstall()
    {
        if (RequiredTools.AreRequired || !LocalMachine.IsOnPath("bash"))
        {
            return null;
        }

        var start = new ProcessStartInfo("bash", [Script.Path("sbom.sh"), "--install"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            return $"Needs the CycloneDX dotnet tool, which `dotnet tool install` did not install within 2 minutes ({RequiredTools.RequireVariable}=true makes this a failure).";
        }

        return process.ExitCode == 0
            ? null
            : $"Needs the CycloneDX dotnet tool, which `dotnet tool install` could not install ({LastLine(error.Result)}; {RequiredTools.RequireVariable}=true makes this a failure).";
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
}
