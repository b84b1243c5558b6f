namespace Voting.Deployment.Tests.Ci;

/// <summary>
/// One CI: .github/workflows/ci.yml (GitHub, forks included) and .ci/run (a machine of one's own) run the same checks,
/// each the same script of .ci/checks with the same arguments. A check added to one of them only, a check script that
/// one of them leaves out, or a ci.yml step that runs anything but a check (beyond the GitHub-only steps named here)
/// fails.
/// </summary>
public sealed class OneCiTests
{
    /// <summary>The only steps ci.yml may run that .ci/run does not, with the reason.</summary>
    private static readonly Dictionary<string, string> s_gitHubOnly = new(StringComparer.Ordinal)
    {
        ["bash .github/scripts/vulnerability-gate.sh"] = "needs nuget.org's vulnerability feed and the npm audit service",
    };

    private static readonly IReadOnlyList<string> s_workflowRuns = CiDefinitions.WorkflowRuns(File.ReadAllText(CiDefinitions.Workflow));
    private static readonly IReadOnlyList<string> s_localChecks = CiDefinitions.LocalChecks(File.ReadAllText(CiDefinitions.LocalRun));

    [Fact]
    public void Both_run_the_same_check_invocations()
    {
        var workflowChecks = s_workflowRuns.Where(run => !s_gitHubOnly.ContainsKey(run)).ToList();

        var onlyInWorkflow = Without(workflowChecks, s_localChecks);
        var onlyInLocalRun = Without(s_localChecks, workflowChecks);

        Assert.True(onlyInWorkflow.Count == 0 && onlyInLocalRun.Count == 0,
            "ci.yml and .ci/run must run the same checks, with the same arguments.\n"
            + $"Only in ci.yml: {Describe(onlyInWorkflow)}\nOnly in .ci/run: {Describe(onlyInLocalRun)}");
        Assert.NotEmpty(s_localChecks);
    }

    [Fact]
    public void Every_command_of_either_is_a_check_script()
    {
        var notChecks = s_workflowRuns.Where(run => !s_gitHubOnly.ContainsKey(run))
            .Concat(s_localChecks)
            .Where(command => CiDefinitions.CheckScript(command) is null)
            .ToList();

        Assert.True(notChecks.Count == 0,
            "Each check is one script of .ci/checks, run as `bash .ci/checks/NAME.sh [ARG...]` (a run: step in ci.yml, a "
            + $"`check` line in .ci/run); a GitHub-only step needs its reason in {nameof(OneCiTests)}. Not so: {Describe(notChecks)}");
    }

    [Fact]
    public void Every_script_of_the_checks_folder_runs_in_both()
    {
        var scripts = Directory.EnumerateFiles(CiDefinitions.ChecksFolder, "*.sh").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var inWorkflow = s_workflowRuns.Select(CiDefinitions.CheckScript).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var inLocalRun = s_localChecks.Select(CiDefinitions.CheckScript).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var notInBoth = scripts.Where(script => !inWorkflow.Contains(script) || !inLocalRun.Contains(script)).ToList();

        Assert.NotEmpty(scripts);
        Assert.True(notInBoth.Count == 0, $"Every script of .ci/checks must run in both ci.yml and .ci/run; not so: {Describe(notInBoth)}");
    }

    [Fact]
    public void The_local_run_runs_every_check_through_its_check_function()
    {
        // A check called directly would stop .ci/run at its first failure and go missing from its list of failed checks.
        Assert.Empty(CiDefinitions.ChecksOutsideCheckLines(File.ReadAllText(CiDefinitions.LocalRun)));
    }

    /// <summary>The items of <paramref name="items"/> left after removing one occurrence for each item of <paramref name="others"/>.</summary>
    private static List<string> Without(IEnumerable<string> items, IEnumerable<string> others)
    {
        var left = items.ToList();
        foreach (var other in others)
        {
            left.Remove(other);
        }

        return left;
    }

    private static string Describe(List<string> commands) =>
        commands.Count == 0 ? "none" : string.Join(", ", commands.Select(command => $"`{command}`"));
}
