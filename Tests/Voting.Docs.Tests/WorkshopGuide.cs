using System.Text.RegularExpressions;

namespace Voting.Docs.Tests;

/// <summary>The workshop guide (docs/workshop/) as the tests read it: its files, fenced blocks and links.</summary>
public static partial class WorkshopGuide
{
    public static string Directory { get; } = Path.Combine(Repository.Root, "docs", "workshop");

    /// <summary>The modules a learner can do on a laptop, without Azure: .ci/checks/workshop.sh runs their commands.</summary>
    public static IReadOnlyList<string> LaptopModules { get; } =
        ["01-run-locally.md", "02-tests.md", "03-third-option.md", "04-kubernetes-manifests.md"];

    /// <summary>The modules that need Azure and a cluster: their commands must be the documented ones.</summary>
    public static IReadOnlyList<string> AzureModules { get; } =
        ["05-push-deployment.md", "06-gitops-argo-cd.md", "07-observe-in-azure-monitor.md"];

    /// <summary>The screenshots `bash docs/screenshots.sh` writes; the guide shows these and no others.</summary>
    public static IReadOnlyList<string> Screenshots { get; } =
    [
        "voting-page-desktop.png", "voting-page-phone.png", "dashboard-resources.png", "dashboard-console-logs.png",
        "dashboard-structured-logs.png", "dashboard-trace.png", "dashboard-metrics.png",
    ];

    public static IEnumerable<string> MarkdownFiles =>
        System.IO.Directory.EnumerateFiles(Directory, "*.md").Order(StringComparer.Ordinal);

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name));

    /// <summary>Every fenced block of <paramref name="language"/> in the markdown, without its fences.</summary>
    public static IEnumerable<string> Blocks(string markdown, string language) =>
        Fence().Matches(markdown)
            .Where(m => m.Groups["language"].Value == language)
            .Select(m => m.Groups["body"].Value);

    /// <summary>Link and image targets, e.g. "../deploy.md" or "README.md#clean-up", outside code blocks.</summary>
    public static IEnumerable<string> LinkTargets(string markdown) =>
        Link().Matches(Fence().Replace(markdown, "")).Select(m => m.Groups["target"].Value);

    /// <summary>Image targets (![alt](target)) outside code blocks.</summary>
    public static IEnumerable<string> ImageTargets(string markdown) =>
        Image().Matches(Fence().Replace(markdown, "")).Select(m => m.Groups["target"].Value);

    /// <summary>The anchors GitHub gives the headings of a markdown file (lower case, punctuation dropped, spaces to dashes).</summary>
    public static HashSet<string> Anchors(string markdown) =>
        [.. Heading().Matches(Fence().Replace(markdown, ""))
            .Select(m => Punctuation().Replace(m.Groups["title"].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-'))];

    [GeneratedRegex(@"^```(?<language>[a-z]*)\n(?<body>.*?)\n```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"!\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"^#{1,6} (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N} _-]")]
    private static partial Regex Punctuation();
}
