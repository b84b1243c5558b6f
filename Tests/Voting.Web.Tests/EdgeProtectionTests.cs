using System.Net;
using System.Net.Http.Json;
using Voting.ServiceDefaults;

namespace Voting.Web.Tests;

/// <summary>The page's security headers and cookie, the methods it answers, its rate limit and reset control, over real HTTP.</summary>
[Collection(WebCollection.Name)]
public sealed class EdgeProtectionTests(WebFixture fixture) : IAsyncLifetime
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

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/no-such-page")]
    [InlineData("POST", "/")]
    [InlineData("OPTIONS", "/")]
    [InlineData("GET", "/css/site.css")]
    public async Task Every_answer_carries_the_security_headers_and_no_server_header(string method, string path)
    {
        using var response = await _browser.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), TestContext.Current.CancellationToken);

        SecurityHeaders.AssertOnPlainHttp(response, ContentSecurityPolicies.Page);
    }

    [Fact]
    public async Task The_page_uses_no_inline_style_or_script_so_the_policy_blocks_nothing_it_needs()
    {
        var page = await VotingPage.LoadAsync(_browser);

        Assert.Empty(page.Document.QuerySelectorAll("script, style, [style]"));
        Assert.All(page.Document.All, element =>
            Assert.DoesNotContain(element.Attributes, attribute => attribute.Name.StartsWith("on", StringComparison.Ordinal)));
        Assert.All(page.Document.QuerySelectorAll("link[rel=stylesheet]"), link =>
            Assert.StartsWith("/", link.GetAttribute("href"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_page_view_sets_no_cookie_and_the_votes_cookie_is_strict_and_secure_over_https()
    {
        await using var behindProxy = WebFixture.StartWeb(fixture.Api.BaseAddress,
            new Dictionary<string, string?> { ["ForwardedHeaders:KnownNetworks"] = "127.0.0.0/8" });
        using var viaProxy = behindProxy.CreateRawClient();

        using var page = await _browser.GetAsync("/", TestContext.Current.CancellationToken);
        using var plain = await VotingPage.SubmitAsync(_browser, new() { ["vote"] = "Cats" });
        using var secure = await viaProxy.SendAsync(Https(HttpMethod.Post, new FormUrlEncodedContent(new Dictionary<string, string> { ["vote"] = "Cats" })),
            TestContext.Current.CancellationToken);
        using var securePage = await viaProxy.SendAsync(Https(HttpMethod.Get), TestContext.Current.CancellationToken);

        Assert.False(page.Headers.Contains("Set-Cookie"));
        var plainCookie = Attributes(SeenCookie(plain));
        var secureCookie = Attributes(SeenCookie(secure));
        Assert.All(new[] { plainCookie, secureCookie }, cookie =>
        {
            Assert.Contains("path=/", cookie);
            Assert.Contains("samesite=strict", cookie);
            Assert.Contains("httponly", cookie);
            Assert.DoesNotContain(cookie, attribute => attribute.StartsWith("domain=", StringComparison.Ordinal));
        });
        Assert.DoesNotContain("secure", plainCookie);
        Assert.Contains("secure", secureCookie);
        Assert.StartsWith("max-age=", SecurityHeaders.Header(securePage, "Strict-Transport-Security"), StringComparison.Ordinal);

        static HttpRequestMessage Https(HttpMethod method, HttpContent? content = null)
        {
            var request = new HttpRequestMessage(method, "/") { Content = content };
            request.Headers.Host = "voting.example.com";
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("Sec-Fetch-Site", VotingPage.SameOrigin);
            return request;
        }

        static string SeenCookie(HttpResponseMessage response) =>
            Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Voting.Seen=", StringComparison.Ordinal));

        static string[] Attributes(string cookie) =>
            [.. cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant())];
    }

    [Theory]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Other_methods_get_405_with_allow_not_the_page(string method)
    {
        using var response = await _browser.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD", "POST"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Method not allowed", body, StringComparison.Ordinal);
        Assert.DoesNotContain("temporarily unavailable", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_post_to_an_unknown_handler_is_refused_and_counts_nothing()
    {
        using var response = await VotingPage.SubmitAsync(_browser, new()
        {
            ["vote"] = "Cats",
        }, "/?handler=Nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, (await _api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken))!.CountOf("Cats"));
    }

    [Fact]
    public async Task The_favicon_is_a_cached_204_not_an_error_page()
    {
        using var response = await _browser.GetAsync("/favicon.ico", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(TimeSpan.FromDays(1), response.Headers.CacheControl?.MaxAge);
    }

    [Fact]
    public async Task Votes_over_the_limit_get_a_429_page_with_retry_after_and_count_nothing()
    {
        await using var web = WebFixture.StartWeb(fixture.Api.BaseAddress, new Dictionary<string, string?>
        {
            ["RateLimiting:PermitLimit"] = "2",
            // An hour: the window cannot roll over while the test runs, however slow the machine.
            ["RateLimiting:WindowSeconds"] = "3600",
        });
        using var browser = web.CreateRawClient();
        var page = await VotingPage.LoadAsync(browser);

        using var first = await page.ClickAsync(browser, "button1");
        using var second = await page.ClickAsync(browser, "button1");
        using var third = await page.ClickAsync(browser, "button1");
        using var reset = await page.ClickAsync(browser, "button3");

        Assert.Equal([HttpStatusCode.SeeOther, HttpStatusCode.SeeOther], [first.StatusCode, second.StatusCode]);
        foreach (var refused in new[] { third, reset })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(int.Parse(SecurityHeaders.Header(refused, "Retry-After")!, System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
            Assert.Contains("Too many requests", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        // Reading the page is not limited, and nothing refused was counted.
        Assert.StartsWith("Cats - 2 | Dogs - 0", (await VotingPage.LoadAsync(browser)).Results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_reset_turned_off_there_is_no_button_and_the_handler_answers_403()
    {
        await using var api = await WebFixture.StartApiAsync(fixture.Redis.ConnectionString,
            new Dictionary<string, string?> { ["ALLOW_RESET"] = "false" });
        await using var web = WebFixture.StartWeb(api.BaseAddress);
        using var browser = web.CreateRawClient();
        await _api.PostAsync("api/votes/Dogs", null, TestContext.Current.CancellationToken);

        var page = await VotingPage.LoadAsync(browser);
        using var response = await VotingPage.SubmitAsync(browser, new()
        {
            ["vote"] = "reset",
        }, "/?handler=Reset");

        Assert.Null(page.Document.QuerySelector("#form .button3"));
        Assert.NotNull(page.Document.QuerySelector("#form .button1"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Resetting the counts is turned off", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.StartsWith("Cats - 0 | Dogs - 1", (await VotingPage.LoadAsync(browser)).Results, StringComparison.Ordinal);
    }
}
