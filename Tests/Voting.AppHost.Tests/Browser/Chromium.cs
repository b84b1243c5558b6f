using Microsoft.Playwright;

namespace Voting.AppHost.Tests.Browser;

/// <summary>
/// The Chromium the browser tests drive. Playwright's own browser download is never used (these machines cannot
/// reach it, and a learner's laptop should not need it): VOTING_TEST_CHROMIUM names an executable, or else the first
/// Chromium or Chrome found on PATH or in its usual install folder.
/// </summary>
public static class Chromium
{
    public const string PathVariable = "VOTING_TEST_CHROMIUM";

    private const string NotFound = $"No Chromium found: install chromium (or Chrome) or set {PathVariable} to its executable";

    private static readonly string[] s_names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

    private static readonly string[] s_installFolders =
    [
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        @"C:\Program Files\Google\Chrome\Application\chrome.exe",
        @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    ];

    /// <summary>The browser to launch, or null when none is found.</summary>
    public static string? ExecutablePath { get; } = Find();

    /// <summary>Skips the running test where no browser is found (fails it where tools are required: CI).</summary>
    public static void Require() => RequiredTools.Unless(ExecutablePath is null ? NotFound : null);

    /// <summary>Headless, and flags that keep Chromium from phoning home or needing a sandbox (CI runs as root).</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var executable = ExecutablePath ?? throw new InvalidOperationException($"{NotFound}.");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{PathVariable} names '{executable}', which does not exist.");
        }

        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => s_names.SelectMany(name => new[] { Path.Combine(folder, name), Path.Combine(folder, name + ".exe") }));
        return onPath.Concat(s_installFolders).FirstOrDefault(File.Exists);
    }
}
