using Voting.AppHost;

namespace Voting.Testing;

/// <summary>
/// Tests that run command-line tools beyond the .NET SDK (the workflow scripts use git, kubectl, node...) call
/// <see cref="Require"/> first. Where a tool is missing from PATH the test is reported as skipped, naming the tool, so
/// <c>dotnet test</c> still passes on a machine with only the SDK. CI sets VOTING_TEST_REQUIRE_TOOLS=true: there nothing
/// is skipped, and a missing tool fails the test.
/// </summary>
public static class RequiredTools
{
    public const string RequireVariable = "VOTING_TEST_REQUIRE_TOOLS";

    /// <summary>True in CI: a test whose tools are missing fails instead of being skipped.</summary>
    public static bool AreRequired =>
        string.Equals(Environment.GetEnvironmentVariable(RequireVariable), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the running test (or fails it, in CI) unless every one of <paramref name="tools"/> is on PATH.</summary>
    public static void Require(params string[] tools) => Unless(Missing(tools) is { } missing ? $"Needs {missing} on PATH" : null);

    /// <summary>Skips the running test (or fails it, in CI) with <paramref name="reason"/>, unless it is null.</summary>
    public static void Unless(string? reason)
    {
        if (reason is null)
        {
            return;
        }

        if (AreRequired)
        {
            Assert.Fail($"{reason} ({RequireVariable}=true: a missing tool is a failure).");
        }

        Assert.Skip($"{reason} ({RequireVariable}=true makes this a failure).");
    }

    /// <summary>The tools of <paramref name="tools"/> that are not on PATH, comma-separated; null when none is missing.</summary>
    public static string? Missing(params string[] tools)
    {
        var missing = tools.Where(tool => !LocalMachine.IsOnPath(tool)).ToArray();
        return missing.Length == 0 ? null : string.Join(", ", missing);
    }
}
