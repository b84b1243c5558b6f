using System.Net;
using System.Net.Http.Json;

namespace Voting.Web.Tests;

[Collection(WebCollection.Name)]
public sealed class VotingPageTests(WebFixture fixture) : IAsyncLifetime
{
    private readonly HttpClient _browser = fixture.Web.CreateRawClient();
    private readonly HttpClient _api = fixture.Api.CreateRawClient();

    public async ValueTask InitializeAsync() => (await _api.DeleteAsync("api/votes")).Dispose();

    public ValueTask DisposeAsync()
    {
        _browser.Dispose();
        _api.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_page_keeps_the_original_contract()
    {
        await _api.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        await _api.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        await _api.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        await _api.PostAsync("api/votes/Dogs", null, TestContext.Current.CancellationToken);

        var page = await VotingPage.LoadAsync(_browser);

        var form = page.Document.GetElementById("form");
        Assert.NotNull(form);
        Assert.Equal("post", form.GetAttribute("method"), ignoreCase: true);
        var buttons = form.QuerySelectorAll("button[name=vote]");
        Assert.Equal(3, buttons.Length);
        Assert.Equal(("Cats", "Cats"), (buttons[0].GetAttribute("value"), buttons[0].TextContent.Trim()));
        Assert.Contains("button1", buttons[0].ClassList);
        Assert.Equal("Dogs", buttons[1].GetAttribute("value"));
        Assert.Contains("button2", buttons[1].ClassList);
        Assert.Contains("button3", buttons[2].ClassList);
        Assert.All(buttons, b => Assert.Equal("submit", b.GetAttribute("type")));
        Assert.Equal("Cats - 3 | Dogs - 1", page.Results);
        Assert.Equal("Azure Voting App", page.Document.Title);
        Assert.Equal("Azure Voting App", page.Document.QuerySelector("h1")?.TextContent.Trim());
    }

    [Fact]
    public async Task The_page_is_accessible_and_needs_no_script()
    {
        var page = await VotingPage.LoadAsync(_browser);

        Assert.Equal("en", page.Document.DocumentElement.GetAttribute("lang"));
        Assert.NotNull(page.Document.QuerySelector("meta[name=viewport]"));
        Assert.NotNull(page.Document.QuerySelector("main"));
        Assert.Equal("status", page.Document.GetElementById("results")?.GetAttribute("role"));
        Assert.Empty(page.Document.Scripts);
    }

    [Fact]
    public async Task A_vote_is_counted_and_answered_with_a_redirect_so_a_refresh_does_not_vote_again()
    {
        var page = await VotingPage.LoadAsync(_browser);

        using var response = await page.ClickAsync(_browser, "button1");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Equal("Cats - 1 | Dogs - 0", (await VotingPage.LoadAsync(_browser)).Results);
        // A refresh after the redirect is a GET: it re-reads and counts nothing.
        Assert.Equal("Cats - 1 | Dogs - 0", (await VotingPage.LoadAsync(_browser)).Results);
    }

    [Fact]
    public async Task Reset_sets_every_count_to_zero()
    {
        await _api.PostAsync("api/votes/Dogs", null, TestContext.Current.CancellationToken);
        var page = await VotingPage.LoadAsync(_browser);

        using var response = await page.ClickAsync(_browser, "button3");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("Cats - 0 | Dogs - 0", (await VotingPage.LoadAsync(_browser)).Results);
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_is_rejected_and_counts_nothing()
    {
        var page = await VotingPage.LoadAsync(_browser);

        using var noToken = await page.ClickAsync(_browser, "button1", token: "", cookie: "");
        using var forged = await page.ClickAsync(_browser, "button1", token: "CfDJ8forged" + new string('A', 100));
        using var noCookie = await page.ClickAsync(_browser, "button1", cookie: "");

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noCookie.StatusCode);
        Assert.Equal(0, (await _api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken))!.CountOf("Cats"));
    }

    [Fact]
    public async Task A_vote_for_something_not_on_the_ballot_is_rejected_saying_what_is_wrong_and_counts_nothing()
    {
        var page = await VotingPage.LoadAsync(_browser);
        using var response = await page.SubmitAsync(_browser, new()
        {
            ["vote"] = "Mice",
            ["__RequestVerificationToken"] = page.Token,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        // The token was valid: the page names the problem (not "the form may have expired") and shows the ballot again.
        Assert.Contains("&quot;Mice&quot; is not on the ballot. Vote for Cats", body, StringComparison.Ordinal);
        Assert.DoesNotContain("expired", body, StringComparison.Ordinal);
        Assert.Contains("id=\"form\"", body, StringComparison.Ordinal);
        var tally = await _api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);
        Assert.All(tally!.Options, o => Assert.Equal(0, o.Count));
    }

    [Fact]
    public async Task Any_replica_accepts_a_form_rendered_by_another()
    {
        await using var otherReplica = WebFixture.StartWeb(fixture.Api.BaseAddress, fixture.Redis.ConnectionString);
        using var otherBrowser = otherReplica.CreateRawClient();
        var page = await VotingPage.LoadAsync(_browser);

        using var response = await page.ClickAsync(otherBrowser, "button2");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("Cats - 0 | Dogs - 1", (await VotingPage.LoadAsync(otherBrowser)).Results);
        // Both replicas read the one key ring in Redis (in one process they could otherwise share a folder of keys).
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        Assert.True(await redis.GetDatabase().KeyExistsAsync("dataprotection:voting-web"));
    }

    [Fact]
    public async Task Unknown_pages_get_a_plain_404_page()
    {
        using var response = await _browser.GetAsync("/no-such-page", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoints_are_served_outside_development()
    {
        Assert.Equal("Healthy", await _browser.GetStringAsync("health", TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", await _browser.GetStringAsync("alive", TestContext.Current.CancellationToken));
    }
}
