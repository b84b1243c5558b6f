using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Options;
using Voting.Web.Services;

namespace Voting.Web.Tests;

/// <summary>
/// The Web's tally cache, with two Web replicas behind one Api as in the cluster: each replica shows its cached counts
/// for a while, yet a visitor's own vote or reset is on the very next page they get, from whichever replica.
/// The cache is kept for 10 s (the longest allowed) here, so a stale answer cannot turn fresh by itself while a test looks at it.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ReadYourWritesTests(WebFixture fixture) : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> s_longCache = new() { ["TallyCache:MaxAgeMilliseconds"] = "10000" };

    private readonly KestrelFactory<Program> _replicaA =
        WebFixture.StartWeb(fixture.Api.BaseAddress, s_longCache);

    private readonly KestrelFactory<Program> _replicaB =
        WebFixture.StartWeb(fixture.Api.BaseAddress, s_longCache);

    private readonly HttpClient _api = fixture.Api.CreateRawClient();

    public async ValueTask InitializeAsync() => (await _api.DeleteAsync("api/votes", TestContext.Current.CancellationToken)).Dispose();

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _replicaA.DisposeAsync();
        await _replicaB.DisposeAsync();
    }

    [Fact]
    public async Task A_replica_shows_its_cached_counts_to_a_visitor_who_has_not_voted()
    {
        using var browser = _replicaB.CreateRawClient();
        Assert.Equal("Cats - 0 | Dogs - 0", CatsAndDogs((await VotingPage.LoadAsync(browser)).Results));

        (await _api.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken)).Dispose();

        // Without this, the tests below would pass with no cache at all.
        Assert.Equal("Cats - 0 | Dogs - 0", CatsAndDogs((await VotingPage.LoadAsync(browser)).Results));
    }

    [Fact]
    public async Task A_vote_is_on_the_next_page_even_from_a_replica_that_cached_the_counts_before_it()
    {
        using var onA = _replicaA.CreateRawClient();
        using var onB = _replicaB.CreateRawClient();
        Assert.Equal("Cats - 0 | Dogs - 0", CatsAndDogs((await VotingPage.LoadAsync(onB)).Results));

        var page = await VotingPage.LoadAsync(onA);
        using var vote = await page.ClickAsync(onA, "button2");
        Assert.Equal(HttpStatusCode.SeeOther, vote.StatusCode);

        // The browser follows the redirect with the cookie the vote set; the load balancer sends it to B.
        Assert.Equal("Cats - 0 | Dogs - 1", await LoadWithCookiesFromAsync(onB, vote));
    }

    [Fact]
    public async Task A_reset_is_on_the_next_page_even_from_a_replica_that_cached_higher_counts()
    {
        (await _api.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken)).Dispose();
        using var onA = _replicaA.CreateRawClient();
        using var onB = _replicaB.CreateRawClient();
        Assert.Equal("Cats - 1 | Dogs - 0", CatsAndDogs((await VotingPage.LoadAsync(onB)).Results));

        var page = await VotingPage.LoadAsync(onA);
        using var reset = await page.ClickAsync(onA, "button3");
        Assert.Equal(HttpStatusCode.SeeOther, reset.StatusCode);

        Assert.Equal("Cats - 0 | Dogs - 0", await LoadWithCookiesFromAsync(onB, reset));
    }

    /// <summary>
    /// Counts only grow between resets, so without the generation a tally cached before someone else's reset (Cats 2)
    /// would look later than the visitor's vote after it (Cats 1).
    /// </summary>
    [Fact]
    public async Task A_vote_after_someone_elses_reset_is_on_the_next_page_even_from_a_replica_that_cached_higher_counts_before_it()
    {
        (await _api.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken)).Dispose();
        (await _api.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken)).Dispose();
        using var onA = _replicaA.CreateRawClient();
        using var onB = _replicaB.CreateRawClient();
        Assert.Equal("Cats - 2 | Dogs - 0", CatsAndDogs((await VotingPage.LoadAsync(onB)).Results));
        (await _api.DeleteAsync("api/votes", TestContext.Current.CancellationToken)).Dispose();

        var page = await VotingPage.LoadAsync(onA);
        using var vote = await page.ClickAsync(onA, "button1");
        Assert.Equal(HttpStatusCode.SeeOther, vote.StatusCode);

        Assert.Equal("Cats - 1 | Dogs - 0", await LoadWithCookiesFromAsync(onB, vote));
    }

    [Fact]
    public async Task The_replica_that_counted_a_vote_shows_it_without_the_cookie()
    {
        using var browser = _replicaA.CreateRawClient();
        var page = await VotingPage.LoadAsync(browser);

        using var vote = await page.ClickAsync(browser, "button1");

        Assert.Equal("Cats - 1 | Dogs - 0", CatsAndDogs((await VotingPage.LoadAsync(browser)).Results));
    }

    [Fact]
    public async Task The_page_that_honoured_the_cookie_deletes_it()
    {
        using var browser = _replicaA.CreateRawClient();
        var page = await VotingPage.LoadAsync(browser);
        using var vote = await page.ClickAsync(browser, "button1");
        var seen = SeenCookie(vote);
        // The generation, then the counts the vote left in ballot order: one for the first option, none for the others.
        Assert.Matches($@"^{Regex.Escape(SeenTally.CookieName)}=[0-9]+-1(\.0)+$", seen);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", seen);
        using var response = await browser.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Contains(response.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith($"{SeenTally.CookieName}=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A malformed cookie counts as none: the cached page, as any visitor without a vote gets.</summary>
    [Theory]
    [InlineData("garbage")]
    [InlineData("7")]
    [InlineData("1-1.-2")]
    [InlineData("1-99999999999999999999999")]
    [InlineData("-0.0")]
    [InlineData("1-")]
    [InlineData("1-0-0")]
    public async Task A_malformed_cookie_shows_the_cached_page(string value)
    {
        using var browser = _replicaB.CreateRawClient();
        Assert.Equal("Cats - 0 | Dogs - 0", CatsAndDogs((await VotingPage.LoadAsync(browser)).Results));
        (await _api.PostAsync("api/votes/Dogs", null, TestContext.Current.CancellationToken)).Dispose();

        Assert.Equal("Cats - 0 | Dogs - 0", await LoadWithCookieAsync(browser, new Uri("/", UriKind.Relative), $"{SeenTally.CookieName}={value}"));
    }

    /// <summary>
    /// A well-formed cookie (forged or not) that the cached tally covers shows the cached page; one it does not cover, a
    /// higher count or another generation, makes the page wait for a fresh read. Neither can show anything but a real
    /// tally.
    /// </summary>
    [Theory]
    [InlineData(0, "0.0", "Cats - 0 | Dogs - 0")]
    [InlineData(0, "7", "Cats - 0 | Dogs - 1")]
    [InlineData(0, "0.5", "Cats - 0 | Dogs - 1")]
    [InlineData(1, "0.0", "Cats - 0 | Dogs - 1")]
    [InlineData(-1, "0.0", "Cats - 0 | Dogs - 1")]
    public async Task A_cookie_is_answered_from_the_cache_only_when_the_cached_tally_covers_it(int generationOffset, string counts, string expected)
    {
        using var browser = _replicaB.CreateRawClient();
        Assert.Equal("Cats - 0 | Dogs - 0", CatsAndDogs((await VotingPage.LoadAsync(browser)).Results));
        using var vote = await _api.PostAsync("api/votes/Dogs", null, TestContext.Current.CancellationToken);
        var tally = (await vote.Content.ReadFromJsonAsync<TallyDto>(TestContext.Current.CancellationToken))!;
        // The store's generation (at least 1: every test starts with a reset), or one on either side of it; the counts
        // given for the first options, 0 for any other on the ballot.
        var generation = tally.Generation + generationOffset;
        var allCounts = string.Join('.', counts.Split('.').Concat(Enumerable.Repeat("0", tally.Options.Count)).Take(tally.Options.Count));

        // The cached page says Dogs - 0; only a fresh read can show the Api's vote.
        Assert.Equal(expected, await LoadWithCookieAsync(browser, new Uri("/", UriKind.Relative), $"{SeenTally.CookieName}={generation}-{allCounts}"));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("10001")]
    public async Task An_invalid_cache_period_fails_at_start_up_naming_the_setting(string value)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var web = WebFixture.StartWeb(fixture.Api.BaseAddress,
                new Dictionary<string, string?> { ["TallyCache:MaxAgeMilliseconds"] = value });
        });

        Assert.Contains($"TallyCache:MaxAgeMilliseconds must be 0 (no cache) to 10000; it is {value}.", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>The first two options' counts ("Cats - 1 | Dogs - 0"), whatever other options the ballot has.</summary>
    private static string CatsAndDogs(string results) => string.Join(" | ", results.Split(" | ").Take(2));

    private static string SeenCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])
            .Single(c => c.StartsWith(SeenTally.CookieName + "=", StringComparison.Ordinal));

    /// <summary>The results line of the page the redirect leads to, fetched with the cookie the redirect set.</summary>
    private static Task<string> LoadWithCookiesFromAsync(HttpClient browser, HttpResponseMessage redirect) =>
        LoadWithCookieAsync(browser, redirect.Headers.Location!, SeenCookie(redirect));

    /// <summary>The results line of the page at <paramref name="address"/>, fetched with <paramref name="cookie"/>.</summary>
    private static async Task<string> LoadWithCookieAsync(HttpClient browser, Uri address, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Add("Cookie", cookie);
        using var response = await browser.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return CatsAndDogs(document.GetElementById("results")?.TextContent.Trim() ?? "");
    }
}
