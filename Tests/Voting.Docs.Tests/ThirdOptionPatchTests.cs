using System.Text.RegularExpressions;

namespace Voting.Docs.Tests;

/// <summary>Module 3's change is real: its patch applies to this tree, and the module shows every hunk of it.</summary>
public sealed partial class ThirdOptionPatchTests
{
    private static readonly string s_patchPath = Path.Combine(WorkshopGuide.Directory, "third-option.patch");

    [Fact]
    public void Module_3_shows_exactly_the_hunks_of_the_patch_one_block_per_file()
    {
        var shown = WorkshopGuide.Blocks(WorkshopGuide.Read("03-third-option.md"), "diff").ToList();

        var files = FileSections().Matches(File.ReadAllText(s_patchPath)).ToList();

        Assert.NotEmpty(files);
        Assert.Equal(files.Count, shown.Count);
        foreach (var file in files)
        {
            var hunks = file.Groups["hunks"].Value.TrimEnd('\n');
            Assert.True(shown.Contains(hunks),
                $"Module 3 does not show the hunks of {file.Groups["path"].Value} exactly as the patch has them: run `bash .ci/workshop-hunks.sh`.");
        }
    }

    [Fact]
    public async Task The_patch_applies_to_this_tree()
    {
        RequiredTools.Require("git");

        var result = await Script.RunAsync("git", ["apply", "--check", s_patchPath]);
        // A learner who kept the change (module 3, step 11) has it applied already: there is nothing to check then.
        if (result.ExitCode != 0 && (await Script.RunAsync("git", ["apply", "--check", "--reverse", s_patchPath])).ExitCode == 0)
        {
            Assert.Skip("The third option is already applied to this tree (module 3).");
        }

        Assert.True(result.ExitCode == 0,
            $"docs/workshop/third-option.patch no longer applies: make the change on a clean tree again, save `git diff` over "
            + $"the patch, then run `bash .ci/workshop-hunks.sh`.\n{result}");
    }

    [GeneratedRegex(@"^diff --git a/(?<path>\S+) b/\S+\n(?:.*\n)*?(?<hunks>@@(?:.*\n)*?)(?=diff --git |\z)", RegexOptions.Multiline)]
    private static partial Regex FileSections();
}
