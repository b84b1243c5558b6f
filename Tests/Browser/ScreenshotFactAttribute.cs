namespace Voting.Tests.Browser;

/// <summary>
/// Takes the pictures in docs/images from the app `dotnet run --project AppHost` is serving: run by
/// docs/screenshots.sh, which starts the app and sets VOTING_SCREENSHOTS_DIR. Skipped in a plain `dotnet test`,
/// which has no such app running.
/// </summary>
public sealed class ScreenshotFactAttribute : FactAttribute
{
    public const string DirectoryVariable = "VOTING_SCREENSHOTS_DIR";

    public ScreenshotFactAttribute() =>
        Skip = string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DirectoryVariable))
            ? $"Takes the docs' screenshots of a running app: bash docs/screenshots.sh (sets {DirectoryVariable})."
            : Chromium.SkipReason;
}
