using System.Diagnostics;
using Voting.AppHost;

namespace Voting.Deployment.Tests.SupplyChain;

/// <summary>
/// The SBOM generator (CycloneDX's dotnet tool, which .github/scripts/sbom.sh installs at its pinned version), which the
/// SBOM tests need besides bash, jq, node and npm. Where the tool cannot be installed they are skipped, naming it, unless
/// VOTING_TEST_REQUIRE_TOOLS=true makes that a failure (CI), as for every <see cref="RequiredTools"/> check.
/// </summary>
internal static class SbomGenerator
{
    /// <summary>Tries the install once per test run (a no-op once installed); null when the tool is there.</summary>
    private static readonly Lazy<string?> s_missing = new(TryInstall);

    /// <summary>True when the SBOM tests can run here (the tools and the generator are there).</summary>
    public static bool IsAvailable => RequiredTools.Missing("bash", "jq", "node", "npm") is null && s_missing.Value is null;

    /// <summary>Skips the running test (fails it in CI) unless the tools and the generator are there.</summary>
    public static void Require()
    {
        RequiredTools.Require("bash", "jq", "node", "npm");
        RequiredTools.Unless(s_missing.Value);
    }

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
            return "Needs the CycloneDX dotnet tool, which `dotnet tool install` did not install within 2 minutes";
        }

        return process.ExitCode == 0
            ? null
            : $"Needs the CycloneDX dotnet tool, which `dotnet tool install` could not install ({LastLine(error.Result)})";
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
}
