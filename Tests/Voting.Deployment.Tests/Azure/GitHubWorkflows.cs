using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Voting.Deployment.Tests.Azure;

/// <summary>What the workflows in .github/workflows ask of Azure: the variables they read and the environments they run in.</summary>
internal static partial class GitHubWorkflows
{
    private static readonly string Folder = Path.Combine(Repository.Root, ".github", "workflows");

    public static IReadOnlyList<string> Files { get; } =
        [.. Directory.EnumerateFiles(Folder, "*.yml").Concat(Directory.EnumerateFiles(Folder, "*.yaml")).Order(StringComparer.Ordinal)];

    /// <summary>Every <c>vars.NAME</c> a workflow expression reads.</summary>
    public static IReadOnlySet<string> Variables { get; } =
        Files.SelectMany(f => VariableReference().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The GitHub environments jobs run in: literal <c>environment:</c> values of jobs (a name, or a mapping's
    /// <c>name</c>), values passed to reusable workflows as <c>with: environment:</c>, and the default of a reusable
    /// workflow's <c>environment</c> input. Expressions (<c>${{ ... }}</c>) resolve to one of those, so they are skipped.
    /// </summary>
    public static IReadOnlySet<string> Environments { get; } = FindEnvironments();

    /// <summary>Whether some workflow runs on pull requests and may request an OIDC token (id-token: write).</summary>
    public static bool PullRequestSignsIn { get; } = Files.Any(f =>
    {
        var root = Load(f);
        var on = Child(root, "on");
        var onPullRequest = on is YamlMappingNode map ? map.Children.ContainsKey(new YamlScalarNode("pull_request"))
            : on is YamlSequenceNode list ? list.Children.OfType<YamlScalarNode>().Any(s => s.Value == "pull_request")
            : on is YamlScalarNode scalar && scalar.Value == "pull_request";
        return onPullRequest && File.ReadAllText(f).Contains("id-token: write", StringComparison.Ordinal);
    });

    private static HashSet<string> FindEnvironments()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            var root = Load(file);
            if (Child(Child(Child(Child(root, "on"), "workflow_call"), "inputs"), "environment") is YamlMappingNode input
                && Child(input, "default") is YamlScalarNode fallback)
            {
                Add(fallback.Value);
            }

            foreach (var job in (Child(root, "jobs") as YamlMappingNode)?.Children.Values.OfType<YamlMappingNode>() ?? [])
            {
                switch (Child(job, "environment"))
                {
                    case YamlScalarNode name:
                        Add(name.Value);
                        break;
                    case YamlMappingNode mapping when Child(mapping, "name") is YamlScalarNode name:
                        Add(name.Value);
                        break;
                }

                if (Child(Child(job, "with"), "environment") is YamlScalarNode passed)
                {
                    Add(passed.Value);
                }
            }
        }

        return names;

        void Add(string? value)
        {
            if (!string.IsNullOrWhiteSpace(value) && !value.Contains("${{", StringComparison.Ordinal))
            {
                names.Add(value);
            }
        }
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(file));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    [GeneratedRegex(@"\bvars\.([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex VariableReference();
}
