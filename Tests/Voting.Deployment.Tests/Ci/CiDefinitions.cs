using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Voting.Deployment.Tests.Ci;

/// <summary>What the two CI definitions run: the <c>run:</c> steps of ci.yml and the <c>check</c> lines of .ci/run.</summary>
internal static partial class CiDefinitions
{
    public static readonly string Workflow = Path.Combine(Repository.Root, ".github", "workflows", "ci.yml");
    public static readonly string LocalRun = Path.Combine(Repository.Root, ".ci", "run");
    public static readonly string ChecksFolder = Path.Combine(Repository.Root, ".ci", "checks");

    /// <summary>Every <c>run:</c> of every step of every job in ci.yml, trimmed.</summary>
    public static IReadOnlyList<string> WorkflowRuns(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var jobs = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("jobs")];
        return [.. jobs.Children.Values.Cast<YamlMappingNode>()
            .Where(job => job.Children.ContainsKey(new YamlScalarNode("steps")))
            .SelectMany(job => ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>())
            .Select(step => step.Children.TryGetValue(new YamlScalarNode("run"), out var run) ? ((YamlScalarNode)run).Value!.Trim() : null)
            .OfType<string>()];
    }

    /// <summary>The command of every <c>check COMMAND</c> line of .ci/run.</summary>
    public static IReadOnlyList<string> LocalChecks(string script) =>
        [.. script.Split('\n').Select(line => CheckLine().Match(line)).Where(m => m.Success).Select(m => m.Groups["command"].Value.Trim())];

    /// <summary>Lines of .ci/run, other than comments, that name a check script without running it through <c>check</c>.</summary>
    public static IReadOnlyList<string> ChecksOutsideCheckLines(string script) =>
        [.. script.Split('\n').Select(line => line.Trim())
            .Where(line => !line.StartsWith('#') && line.Contains(".ci/checks/", StringComparison.Ordinal) && !CheckLine().IsMatch(line))];

    /// <summary>The script a command runs when it is a check (<c>bash .ci/checks/NAME.sh [ARG...]</c>); otherwise null.</summary>
    public static string? CheckScript(string command) =>
        CheckInvocation().Match(command) is { Success: true } m ? m.Groups["script"].Value : null;

    [GeneratedRegex(@"^check (?<command>.+)$")]
    private static partial Regex CheckLine();

    [GeneratedRegex(@"^bash \.ci/checks/(?<script>[a-z0-9-]+\.sh)( [a-z0-9-]+)*$")]
    private static partial Regex CheckInvocation();
}
