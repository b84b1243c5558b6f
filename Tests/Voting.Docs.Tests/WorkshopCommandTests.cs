using System.Text.RegularExpressions;

namespace Voting.Docs.Tests;

/// <summary>
/// The guide's commands stay those of the repository. Modules 1-4 are run as written by .ci/checks/workshop.sh; modules 5-7
/// need Azure and a cluster, so instead each of their command lines must be one that docs/deploy.md, docs/gitops.md or
/// a workflow or script under .github/ already has: the guide never invents a command of its own.
/// </summary>
public sealed partial class WorkshopCommandTests
{
    private static readonly string[] s_markers = ["background", "fails", "needs kubectl"];

    public static TheoryData<string> AzureFiles => [.. WorkshopGuide.AzureModules, "README.md"];

    [Theory]
    [MemberData(nameof(AzureFiles))]
    public void Every_command_line_of_the_azure_modules_is_in_the_deployment_docs_or_the_workflows(string file)
    {
        var documented = DocumentedLines();

        var invented = WorkshopGuide.Blocks(WorkshopGuide.Read(file), "bash")
            .SelectMany(block => block.Split('\n'))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !documented.Contains(line))
            .ToList();

        Assert.True(invented.Count == 0,
            $"docs/workshop/{file} has command lines found nowhere in docs/deploy.md, docs/gitops.md or .github/ "
            + $"(document them in docs/deploy.md first, or copy them exactly):\n  {string.Join("\n  ", invented)}");
    }

    [Fact]
    public void The_workshop_script_runs_exactly_the_laptop_modules()
    {
        var script = File.ReadAllText(Path.Combine(Repository.Root, ".ci", "checks", "workshop.sh"));

        var modules = ModuleList().Match(script).Groups["modules"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(WorkshopGuide.LaptopModules, modules);
        var onDisk = WorkshopGuide.MarkdownFiles.Select(Path.GetFileName).Where(name => name!.Length > 3 && char.IsAsciiDigit(name[0]));
        Assert.Equal(onDisk, WorkshopGuide.LaptopModules.Concat(WorkshopGuide.AzureModules));
    }

    [Theory]
    [MemberData(nameof(LaptopFiles))]
    public void Every_workshop_script_marker_is_known_and_stands_right_before_a_bash_block(string file)
    {
        var lines = WorkshopGuide.Read(file).Split('\n');

        for (var i = 0; i < lines.Length; i++)
        {
            if (Marker().Match(lines[i]) is not { Success: true } marker)
            {
                continue;
            }

            var kind = marker.Groups["kind"].Value;
            Assert.True(s_markers.Contains(kind) || kind.StartsWith("expect ", StringComparison.Ordinal)
                || (kind.StartsWith("skip: ", StringComparison.Ordinal) && kind.Length > "skip: ".Length),
                $"{file}:{i + 1}: unknown marker '{kind}'");
            Assert.True(i + 1 < lines.Length && lines[i + 1] == "```bash", $"{file}:{i + 1}: a marker must be followed by a ```bash fence");
        }
    }

    public static TheoryData<string> LaptopFiles => [.. WorkshopGuide.LaptopModules];

    /// <summary>Every line of the deployment docs and of .github/, trimmed.</summary>
    private static HashSet<string> DocumentedLines()
    {
        var files = new[] { Path.Combine("docs", "deploy.md"), Path.Combine("docs", "gitops.md") }
            .Select(path => Path.Combine(Repository.Root, path))
            .Concat(Directory.EnumerateFiles(Path.Combine(Repository.Root, ".github"), "*", SearchOption.AllDirectories)
                .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)));
        return [.. files.SelectMany(File.ReadLines).Select(line => line.Trim())];
    }

    [GeneratedRegex(@"^modules=\((?<modules>[^)]*)\)$", RegexOptions.Multiline)]
    private static partial Regex ModuleList();

    [GeneratedRegex(@"^<!-- workshop\.sh: (?<kind>.*) -->$")]
    private static partial Regex Marker();
}
