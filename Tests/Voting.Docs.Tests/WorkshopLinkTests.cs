namespace Voting.Docs.Tests;

/// <summary>Every link and image of the workshop guide leads somewhere.</summary>
public sealed class WorkshopLinkTests
{
    public static TheoryData<string> Files => [.. WorkshopGuide.MarkdownFiles.Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_relative_link_points_to_an_existing_file_and_heading(string file)
    {
        var broken = new List<string>();
        foreach (var target in WorkshopGuide.LinkTargets(WorkshopGuide.Read(file)))
        {
            if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal)
                || IsScreenshot(target))
            {
                continue;
            }

            var (path, anchor) = target.Split('#', 2) is [var p, var a] ? (p, a) : (target, null);
            var resolved = path.Length == 0
                ? Path.Combine(WorkshopGuide.Directory, file)
                : Path.GetFullPath(Path.Combine(WorkshopGuide.Directory, path));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{target}: no such file");
            }
            else if (anchor is not null && !WorkshopGuide.Anchors(File.ReadAllText(resolved)).Contains(anchor))
            {
                broken.Add($"{target}: no heading with that anchor");
            }
        }

        Assert.True(broken.Count == 0, $"docs/workshop/{file} has broken links:\n  {string.Join("\n  ", broken)}");
    }

    [Fact]
    public void The_guide_shows_exactly_the_screenshots_the_screenshot_command_writes()
    {
        var shown = WorkshopGuide.MarkdownFiles
            .SelectMany(file => WorkshopGuide.ImageTargets(File.ReadAllText(file)))
            .ToList();

        Assert.All(shown, target => Assert.True(IsScreenshot(target), $"{target} is not one of docs/images/{{{string.Join(',', WorkshopGuide.Screenshots)}}}"));
        Assert.Equal(WorkshopGuide.Screenshots.Order(StringComparer.Ordinal), shown.Select(Path.GetFileName).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// docs/images/ is written by `bash docs/screenshots.sh` (the Playwright browser tests' screenshot command), committed
    /// separately: this test fails until those images are in the tree.
    /// </summary>
    [Fact]
    public void Every_screenshot_the_guide_shows_exists()
    {
        var missing = WorkshopGuide.Screenshots
            .Where(name => !File.Exists(Path.Combine(WorkshopGuide.Directory, "..", "images", name)))
            .ToList();

        Assert.True(missing.Count == 0,
            $"docs/images/ lacks {string.Join(", ", missing)}: run `bash docs/screenshots.sh` and commit them.");
    }

    private static bool IsScreenshot(string target) =>
        target.StartsWith("../images/", StringComparison.Ordinal) && WorkshopGuide.Screenshots.Contains(target["../images/".Length..]);
}
