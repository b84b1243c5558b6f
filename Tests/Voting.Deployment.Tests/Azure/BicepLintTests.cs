namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// Every Bicep file in infra/ lints clean with infra/bicepconfig.json, which makes every linter rule an error:
/// the same check as .ci/checks/validate-infra.sh, so `dotnet test` alone catches a regression.
/// </summary>
public sealed class BicepLintTests
{
    [Theory]
    [InlineData("infra/**/*.bicep")]
    [InlineData("infra/**/*.bicepparam")]
    public async Task Every_file_lints_with_no_diagnostic(string pattern)
    {
        var (exitCode, diagnostics) = await BicepCli.RunAsync("lint", "--pattern", pattern);
        Assert.True(exitCode == 0 && diagnostics.Length == 0, diagnostics);
    }

    [Fact]
    public void Every_linter_rule_is_an_error_or_says_why_it_is_off()
    {
        var lines = File.ReadAllLines(Path.Combine(BicepCli.InfraFolder, "bicepconfig.json"));
        var rules = lines.Select((line, i) => (line, i)).Where(x => x.line.Contains("\"level\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rules);
        foreach (var (line, i) in rules)
        {
            if (line.Contains("\"level\": \"error\"", StringComparison.Ordinal))
            {
                continue;
            }

            Assert.Contains("\"level\": \"off\"", line, StringComparison.Ordinal);
            Assert.True(i > 0 && lines[i - 1].TrimStart().StartsWith("//", StringComparison.Ordinal), $"Rule turned off with no reason above it: {line.Trim()}");
        }
    }
}
