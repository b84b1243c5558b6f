using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task The_stylesheet_is_linked_by_its_fingerprint_so_a_changed_one_is_never_served_stale()
    {
        var page = await VotingPage.LoadAsync(_browser);

        var href = Assert.Single(page.Document.QuerySelectorAll("link[rel=stylesheet]")).GetAttribute("href");
        Assert.Matches(@"^/css/site\.[a-z0-9]+\.css$", href);
        using var stylesheet = await _browser.GetAsync(href, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, stylesheet.StatusCode);
        Assert.Equal("text/css", stylesheet.Content.Headers.ContentType?.MediaType);
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

    [Theory]
    [InlineData("cross-site", null)]
    [InlineData("same-site", null)]
    [InlineData(null, "https://attacker.example")]
    [InlineData(null, "null")]
    public async Task A_form_posted_from_another_site_is_refused_with_403_and_counts_nothing(string? fetchSite, string? origin)
    {
        var page = await VotingPage.LoadAsync(_browser);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["vote"] = "Cats" }),
        };
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var vote = await _browser.SendAsync(request, TestContext.Current.CancellationToken);
        using var reset = await page.ClickAsync(_browser, "button3", fetchSite: "cross-site");

        Assert.Equal(HttpStatusCode.Forbidden, vote.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
        Assert.Contains("sent from another site", await vote.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(0, (await _api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken))!.CountOf("Cats"));
    }

    [Fact]
    public async Task A_form_from_the_page_the_address_bar_an_older_browser_or_a_script_is_counted()
    {
        var page = await VotingPage.LoadAsync(_browser);
        using var fromThePage = await page.ClickAsync(_browser, "button1");
        using var fromTheAddressBar = await page.ClickAsync(_browser, "button1", fetchSite: "none");
        using var notABrowser = await page.ClickAsync(_browser, "button1", fetchSite: null);
        using var olderBrowser = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["vote"] = "Cats" }),
        };
        olderBrowser.Headers.Add("Origin", _browser.BaseAddress!.GetLeftPart(UriPartial.Authority));
        using var fromAnOlderBrowser = await _browser.SendAsync(olderBrowser, TestContext.Current.CancellationToken);

        Assert.All(new[] { fromThePage, fromTheAddressBar, notABrowser, fromAnOlderBrowser },
            response => Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode));
        Assert.Equal(4, (await _api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken))!.CountOf("Cats"));
    }

    [Fact]
    public async Task A_vote_for_something_not_on_the_ballot_is_rejected_saying_what_is_wrong_and_counts_nothing()
    {
        using var response = await VotingPage.SubmitAsync(_browser, new()
        {
            ["vote"] = "Mice",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        // The form itself was accepted: the page names the problem and shows the ballot again.
        Assert.Contains("&quot;Mice&quot; is not on the ballot. Vote for Cats", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Request not accepted", body, StringComparison.Ordinal);
        Assert.Contains("id=\"form\"", body, StringComparison.Ordinal);
        var tally = await _api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);
        Assert.All(tally!.Options, o => Assert.Equal(0, o.Count));
    }

    [Fact]
    public async Task A_form_that_votes_for_two_options_at_once_is_rejected_and_counts_nothing()
    {
        using var response = await VotingPage.SubmitAsync(_browser, [new("vote", "Cats"), new("vote", "Dogs")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choose one option", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var tally = await _api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);
        Assert.All(tally!.Options, o => Assert.Equal(0, o.Count));
    }

    [Fact]
    public async Task Any_replica_accepts_a_form_rendered_by_another_and_no_replica_keeps_anything_in_the_store()
    {
        await using var otherReplica = WebFixture.StartWeb(fixture.Api.BaseAddress);
        using var otherBrowser = otherReplica.CreateRawClient();
        var page = await VotingPage.LoadAsync(_browser);

        using var response = await page.ClickAsync(otherBrowser, "button2");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("Cats - 0 | Dogs - 1", (await VotingPage.LoadAsync(otherBrowser)).Results);
        // The form carries no token and the Web no key ring: the Api's counts are all there is.
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        Assert.All(await RedisKeys.AllAsync(redis), key => Assert.Matches("^votes(:|-generation$)", key));
    }

    [Fact]
    public void The_web_makes_no_key_ring_at_start_up()
    {
        // It encrypts nothing: Razor Pages' data protection would otherwise create and write a key as the Web starts.
        var startup = fixture.Web.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>();

        Assert.DoesNotContain(startup, service => service.GetType().FullName!.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_error_page_asked_for_directly_is_not_found()
    {
        using var get = await _browser.GetAsync("/Error", TestContext.Current.CancellationToken);
        using var post = await VotingPage.SubmitAsync(_browser, new() { ["vote"] = "Cats" }, action: "/Error");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Contains("Page not found", await get.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
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
