using System.Diagnostics;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Voting.AppHost.Tests.Browser;

/// <summary>
/// The voting page in a real, headless Chromium, against the whole app started by the AppHost: what a learner sees
/// and does. The selectors are the original voting app's page contract (#form, .button1-3, #results).
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class VotingPageBrowserTests(AppHostFixture app, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private readonly Uri _web = app.App.GetEndpoint("web", "http");

    [Fact]
    public async Task Three_votes_for_one_option_and_one_for_the_other_read_as_the_original_then_reset_clears_them()
    {
        Chromium.Require();

        var page = await OpenFreshAsync();

        for (var votes = 1; votes <= 3; votes++)
        {
            await page.Locator(".button1").ClickAsync();
            await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(votes, 0));
        }

        await page.Locator(".button2").ClickAsync();
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(3, 1));

        await page.Locator(".button3").ClickAsync();
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(0, 0));
        Assert.Equal(0, await ApiCountAsync("Cats") + await ApiCountAsync("Dogs"));
    }

    [Fact]
    public async Task Reloading_the_page_after_a_vote_does_not_vote_again()
    {
        Chromium.Require();

        var page = await OpenFreshAsync();
        await page.Locator(".button1").ClickAsync();
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(1, 0));

        // Post/Redirect/Get: the page on screen came from a GET, so a reload repeats the GET, not the vote.
        var reload = await page.ReloadAsync();

        Assert.Equal("GET", reload!.Request.Method);
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(1, 0));
        Assert.Equal(1, await ApiCountAsync("Cats"));
    }

    [Fact]
    public async Task A_form_on_another_site_cannot_vote_in_the_visitors_browser()
    {
        Chromium.Require();

        var page = await OpenFreshAsync();
        // Another site's page, in the same browser, with a form that posts a vote to the voting page.
        await page.Context.RouteAsync("http://attacker.example/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"<form method=post action=\"{_web}\"><button name=vote value=Cats>Win a prize</button></form>",
        }));
        await page.GotoAsync("http://attacker.example/");

        var refused = await page.RunAndWaitForResponseAsync(
            () => page.Locator("button").ClickAsync(), response => response.Request.Method == "POST");

        Assert.Equal(403, refused.Status);
        await Expect(page.Locator("body")).ToContainTextAsync("sent from another site");
        Assert.Equal(0, await ApiCountAsync("Cats"));
    }

    [Fact]
    public async Task Voting_works_with_JavaScript_disabled()
    {
        Chromium.Require();

        var options = BrowserFixture.Desktop;
        options.JavaScriptEnabled = false;
        var page = await OpenFreshAsync(options);

        await page.Locator(".button2").ClickAsync();
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(0, 1));
        await page.Locator(".button3").ClickAsync();
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(0, 0));
    }

    [Fact]
    public async Task The_keyboard_alone_can_vote_with_the_focus_visible_on_each_button()
    {
        Chromium.Require();

        var page = await OpenFreshAsync();

        // Tab visits the buttons in page order; each shows a focus ring (the stylesheet's :focus-visible).
        foreach (var button in PageContract.TabOrder)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = page.Locator(":focus");
            await Expect(focused).ToHaveClassAsync(new System.Text.RegularExpressions.Regex($"\\b{button}\\b"));
            Assert.True(await focused.EvaluateAsync<bool>("e => e.matches(':focus-visible')"), $"{button} has focus but :focus-visible does not match.");
            Assert.Equal("solid", await focused.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        }

        // From the top of the page, Tab reaches option 1 and Enter presses it.
        await page.ReloadAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(1, 0));

        // After the redirect the page is new: Tab twice reaches option 2, and Space presses it.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(1, 1));
    }

    [Fact]
    public async Task Every_button_has_an_accessible_name_and_the_results_are_announced()
    {
        Chromium.Require();

        var page = await OpenFreshAsync();

        foreach (var name in PageContract.ButtonNames)
        {
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })).ToHaveCountAsync(1);
        }

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(PageContract.Results(0, 0));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Azure Voting App");
    }

    [Fact]
    public async Task Axe_finds_no_accessibility_violations_on_a_desktop_or_a_phone()
    {
        Chromium.Require();

        foreach (var (viewport, options) in new[] { ("desktop", BrowserFixture.Desktop), ("phone", BrowserFixture.Phone) })
        {
            var page = await OpenFreshAsync(options);

            var result = await page.RunAxe();

            Assert.True(
                result.Violations.Length == 0,
                $"{viewport}: " + string.Join("; ", result.Violations.Select(v => $"{v.Id} ({v.Help}): {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
        }
    }

    [Fact]
    public async Task With_the_api_stopped_the_page_says_so_and_recovers_when_it_returns()
    {
        Chromium.Require();
        RequiredTools.Require("kill");

        var page = await OpenFreshAsync();
        try
        {
            await StopApiAsync();

            // The Web may show the counts it cached a moment ago until its tally cache expires; then it must say so.
            var unavailable = await Eventually.WithinAsync(TimeSpan.FromSeconds(30), async () =>
            {
                var response = await page.ReloadAsync();
                return response?.Status == 503 ? response : null;
            });

            Assert.NotNull(unavailable);
            await Expect(page.Locator("#unavailable")).ToHaveTextAsync("Voting is temporarily unavailable. Please try again in a moment.");
            await Expect(page.Locator("#form")).ToHaveCountAsync(0);
        }
        finally
        {
            await StartApiAsync();
        }

        // The Web's circuit breaker may still be open for a few seconds: the learner's "Try again" link, until it closes.
        var recovered = await Eventually.WithinAsync(TimeSpan.FromSeconds(30), async () =>
        {
            var response = await page.GotoAsync(_web.ToString());
            return response?.Status == 200 ? response : null;
        });
        Assert.NotNull(recovered);
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(0, 0));
    }

    /// <summary>
    /// Stops the Api's process with SIGTERM, as a shutdown would, and waits until the AppHost sees it gone. Not the
    /// dashboard's Stop command: DCP sends `dotnet run` a signal it does not pass on and kills it 10 s later, and under
    /// CPU load its own wait can give up first, leaving the resource in an unknown state.
    /// </summary>
    private async Task StopApiAsync()
    {
        var running = await app.App.ResourceNotifications.WaitForResourceAsync(
            "api", e => e.Snapshot.State?.Text == KnownResourceStates.Running);
        var pid = running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value?.ToString()
            ?? throw new InvalidOperationException("The Api's resource has no process id.");
        using (var kill = Process.Start("kill", ["-TERM", pid]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await app.App.ResourceNotifications.WaitForResourceAsync("api", KnownResourceStates.TerminalStates, timeout.Token);
    }

    /// <summary>
    /// The page in a new browser context, after a reset pressed on the page itself: a reset through the Api alone would
    /// not be on this page until the Web's tally cache expires, and the page the reset redirects to must show it.
    /// </summary>
    private async Task<IPage> OpenFreshAsync(BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(_web.ToString());
        Assert.Equal(200, response!.Status);

        await page.Locator(".button3").ClickAsync();
        await Expect(page.Locator("#results")).ToHaveTextAsync(PageContract.Results(0, 0));
        Assert.Equal(0, await ApiCountAsync("Cats") + await ApiCountAsync("Dogs"));
        return page;
    }

    /// <summary>Starts the Api again and waits until it is healthy; when it cannot start, the failure carries its log.</summary>
    private async Task StartApiAsync()
    {
        var commands = app.App.Services.GetRequiredService<ResourceCommandService>();
        var started = await commands.ExecuteCommandAsync("api", KnownResourceCommands.StartCommand, TestContext.Current.CancellationToken);
        Assert.True(started.Success, started.Message);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await app.App.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);
        }
        catch (DistributedApplicationException e)
        {
            throw new InvalidOperationException($"{e.Message} The Api's log:\n{await ApiLogAsync()}", e);
        }
    }

    private async Task<string> ApiLogAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var lines = new List<string>();
        await foreach (var batch in app.App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync("api").WithCancellation(timeout.Token))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return string.Join('\n', lines.TakeLast(40));
    }

    private async Task<long> ApiCountAsync(string option)
    {
        using var api = app.CreateRawClient("api");
        return (await api.GetFromJsonAsync<TallyDto>("api/votes"))!.CountOf(option);
    }
}
