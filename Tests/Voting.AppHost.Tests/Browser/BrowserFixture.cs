using Microsoft.Playwright;

namespace Voting.AppHost.Tests.Browser;

/// <summary>
/// One headless Chromium for a test class; each test opens its own context (cookies, viewport, JavaScript on or off).
/// Launched on first use, so a class whose tests are all skipped (no Chromium) never tries.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly Lazy<Task<IBrowser>> _browser;
    private IPlaywright? _playwright;

    public BrowserFixture() => _browser = new(LaunchAsync);

    public static BrowserNewContextOptions Desktop => new() { ViewportSize = new() { Width = 1280, Height = 800 } };

    /// <summary>A phone-sized viewport (an iPhone 13's CSS pixels), with touch.</summary>
    public static BrowserNewContextOptions Phone => new()
    {
        ViewportSize = new() { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
    };

    public async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await (await _browser.Value).NewContextAsync(options ?? Desktop);
        // Generous, for a CI runner with few cores and other work; a healthy page answers in milliseconds.
        context.SetDefaultTimeout(15_000);
        return context;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_browser.IsValueCreated && _browser.Value.IsCompletedSuccessfully)
        {
            await _browser.Value.Result.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    private async Task<IBrowser> LaunchAsync()
    {
        _playwright = await Playwright.CreateAsync();
        return await Chromium.LaunchAsync(_playwright);
    }
}
