namespace Voting.AppHost.Tests.Browser;

/// <summary>
/// <see cref="DocsScreenshots"/> takes the pictures in docs/images from the app `dotnet run --project AppHost` is
/// serving. It is an explicit test: an ordinary `dotnet test` neither runs nor lists it as skipped; docs/screenshots.sh
/// starts the app, sets VOTING_SCREENSHOTS_DIR and runs it with explicit tests on.
/// </summary>
public static class Screenshots
{
    public const string DirectoryVariable = "VOTING_SCREENSHOTS_DIR";

    /// <summary>Fails, saying how to run it, unless docs/screenshots.sh started it; needs a browser.</summary>
    public static void Require()
    {
        Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DirectoryVariable)),
            $"Takes the docs' screenshots of a running app: run bash docs/screenshots.sh (it sets {DirectoryVariable}).");
        Chromium.Require();
    }
}
