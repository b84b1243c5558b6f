namespace Voting.Tests.Browser;

/// <summary>
/// A test that drives a real Chromium. Reported as skipped, with the setting that points to a browser, where none is
/// found; CI installs Debian's chromium and sets VOTING_TEST_REQUIRE_TOOLS=true, so there it always runs.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <param name="tools">Command-line tools the test also runs, as for <see cref="Infrastructure.ToolFactAttribute"/>.</param>
    public BrowserFactAttribute(params string[] tools) => Skip = Chromium.SkipReason ?? Infrastructure.RequiredTools.SkipReason(tools);
}
