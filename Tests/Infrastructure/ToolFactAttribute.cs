using Voting.AppHost;

namespace Voting.Tests.Infrastructure;

/// <summary>
/// A test that runs command-line tools beyond the .NET SDK (the workflow scripts use git, kubectl, node...).
/// Where one is missing from PATH the test is reported as skipped, naming the tool, so <c>dotnet test</c> still passes
/// on a machine with only the SDK. CI sets VOTING_TEST_REQUIRE_TOOLS=true: there nothing is skipped, and a missing tool fails.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools) => Skip = RequiredTools.SkipReason(tools);
}

/// <inheritdoc cref="ToolFactAttribute"/>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools) => Skip = RequiredTools.SkipReason(tools);
}

internal static class RequiredTools
{
    public const string RequireVariable = "VOTING_TEST_REQUIRE_TOOLS";

    /// <summary>True in CI: a test whose tools are missing fails instead of being skipped.</summary>
    public static bool AreRequired =>
        string.Equals(Environment.GetEnvironmentVariable(RequireVariable), "true", StringComparison.OrdinalIgnoreCase);

    public static string? SkipReason(string[] tools)
    {
        if (AreRequired)
        {
            return null;
        }

        var missing = tools.Where(tool => !LocalMachine.IsOnPath(tool)).ToArray();
        return missing.Length == 0 ? null : $"Needs {string.Join(", ", missing)} on PATH ({RequireVariable}=true makes this a failure).";
    }
}
