using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Voting.AppHost.Tests.Browser;

/// <summary>
/// The screenshots in docs/images, of the app as a learner runs it (`dotnet run --project AppHost`, the launch
/// profile's ports): the voting page on a desktop and a phone, and the dashboard's resources, logs, the trace of one
/// vote and the votes metric. Each picture is taken only once the page shows what the workshop says it shows.
/// </summary>
public sealed class DocsScreenshots : IClassFixture<BrowserFixture>
{
    private const string Dashboard = "http://localhost:15080";
    private const string Web = "http://localhost:5280";
    private const string Api = "http://localhost:5380";

    private static readonly BrowserNewContextOptions s_dashboardWindow = new() { ViewportSize = new() { Width = 1440, Height = 900 } };

    private readonly BrowserFixture _browser;
    private readonly string _output;
    private IPage? _current;

    public DocsScreenshots(BrowserFixture browser)
    {
        _browser = browser;
        _output = Environment.GetEnvironmentVariable(Screenshots.DirectoryVariable) ?? "";
    }

    [Fact(Explicit = true)]
    [Trait("Category", "Screenshots")]
    public async Task Voting_page_and_dashboard()
    {
        Screenshots.Require();

        Directory.CreateDirectory(_output);
        using (var api = new HttpClient())
        {
            // One vote through the Api first: the first vote script of a cold Api (and of the embedded Redis) can
            // outlast the 1 s Redis timeout on a loaded machine, and the page would then rightly show its 503.
            await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), async () =>
            {
                using var warmUp = await api.PostAsync($"{Api}/api/votes/Cats", null);
                return warmUp.IsSuccessStatusCode;
            });
            (await api.DeleteAsync($"{Api}/api/votes", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }

        try
        {
            await VotingPageAsync();
            await DashboardAsync();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException && _current is not null)
        {
            // What was on screen says more than a timeout: a 503 page, a dashboard still starting, a missing row.
            throw new InvalidOperationException($"{e.Message}\n--- {_current.Url} showed:\n{await ShownAsync(_current)}", e);
        }
    }

    /// <summary>The page's text, or why there is none (its context may be closed already).</summary>
    private static async Task<string> ShownAsync(IPage page)
    {
        try
        {
            return await page.InnerTextAsync("body", new() { Timeout = 5_000 });
        }
        catch (PlaywrightException e)
        {
            return $"(the page could not be read: {e.Message})";
        }
    }

    private async Task VotingPageAsync()
    {
        await using var desktop = await _browser.NewContextAsync(BrowserFixture.Desktop);
        var page = _current = await desktop.NewPageAsync();
        await page.GotoAsync(Web);
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(0, 0));
        foreach (var (button, results) in new[]
        {
            (".button1", PageContract.Results(1, 0)), (".button1", PageContract.Results(2, 0)),
            (".button1", PageContract.Results(3, 0)), (".button2", PageContract.Results(3, 1)),
        })
        {
            await page.Locator(button).ClickAsync();
            await Expect(page.Locator("#results")).ToHaveTextAsync(results);
        }
        await SaveAsync(page, "voting-page-desktop.png", height: 320);

        await using var phone = await _browser.NewContextAsync(BrowserFixture.Phone);
        var small = _current = await phone.NewPageAsync();
        await small.GotoAsync(Web);
        await Expect(small.Locator("#results")).ToHaveTextAsync(PageContract.Results(3, 1));
        await SaveAsync(small, "voting-page-phone.png", height: 480);
    }

    private async Task DashboardAsync()
    {
        await using var context = await _browser.NewContextAsync(s_dashboardWindow);
        var page = _current = await context.NewPageAsync();

        await page.GotoAsync(Dashboard);

        // Healthy: every resource's state reads Running with its green check, not Running (Unhealthy).
        foreach (var resource in new[] { "redis", "api", "web" })
        {
            var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByText(resource, new() { Exact = true }) });
            await Expect(row.GetByText("Running", new() { Exact = true })).ToBeVisibleAsync();
        }

        await Expect(page.GetByText("Unhealthy")).ToHaveCountAsync(0);
        await SaveAsync(page, "dashboard-resources.png");

        await page.GotoAsync($"{Dashboard}/consolelogs/resource/api");
        await Expect(page.GetByText("Now listening on").First).ToBeVisibleAsync();
        await SaveAsync(page, "dashboard-console-logs.png");

        // Structured: each entry has its resource, level and, for a request's logs, a link to the request's trace.
        await page.GotoAsync($"{Dashboard}/structuredlogs");
        await Expect(page.Locator("a[href^='/traces/detail/']").First).ToBeVisibleAsync();
        await SaveAsync(page, "dashboard-structured-logs.png");

        // One vote, end to end: the Web's POST, its call to the Api, and the Api's one Redis call (the vote script).
        await page.GotoAsync($"{Dashboard}/traces");
        await page.GetByText("web: POST /Index").First.ClickAsync();
        await Expect(page.GetByText("POST api/votes/{option}", new() { Exact = true })).ToBeVisibleAsync();
        // EVAL the first time a server sees the script, EVALSHA after.
        await Expect(page.GetByText(new Regex(@"DATA redis EVAL(SHA)?\b")).First).ToBeVisibleAsync();
        await SaveAsync(page, "dashboard-trace.png");

        await page.GotoAsync($"{Dashboard}/metrics/resource/api?meter=Voting.Api&instrument=voting.votes");
        await Expect(page.GetByText("Votes counted, by option.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Gridcell, new() { Name = "voting.option" })).ToBeVisibleAsync();
        await SaveAsync(page, "dashboard-metrics.png");
    }

    /// <summary>Saves what <paramref name="page"/> shows; <paramref name="height"/> (CSS pixels) crops a short page to its content.</summary>
    private async Task SaveAsync(IPage page, string name, int? height = null)
    {
        // Lets charts and fonts settle; the assertions above already waited for the content.
        await page.WaitForTimeoutAsync(500);
        // The dashboard's banners about plain HTTP and the missing development certificate are expected locally
        // (the workshop explains them) and would cover the top of every picture. Dismissed, they stay closed.
        // Only the visible ones: a dismissed banner can stay in the page, hidden, and would never become clickable.
        // The dashboard re-renders its banners while it starts (a button can be replaced between finding and
        // clicking it), so a click that finds its button gone is tried again on the new one; every banner must be
        // gone before the picture.
        var dismiss = page.GetByLabel("Dismiss notification").Filter(new() { Visible = true });
        for (var tries = 0; tries < 10 && await dismiss.CountAsync() > 0; tries++)
        {
            try
            {
                await dismiss.First.ClickAsync(new() { Timeout = 3_000 });
            }
            catch (TimeoutException)
            {
                // Replaced while it was being clicked: look again.
            }
        }

        await Expect(dismiss).ToHaveCountAsync(0);

        // The pointer, left where the last click was, would hover a row and show its tooltip.
        await page.Mouse.MoveAsync(0, 0);

        var options = new PageScreenshotOptions { Path = Path.Combine(_output, name) };
        if (height is { } h)
        {
            options.Clip = new() { X = 0, Y = 0, Width = page.ViewportSize!.Width, Height = h };
        }

        await page.ScreenshotAsync(options);
    }
}
