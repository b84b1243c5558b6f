using System.Net;
using System.Net.Http.Json;
using System.Text;
using StackExchange.Redis;

namespace Voting.Web.Tests.Faults;

/// <summary>
/// What an attacker or a broken client may send. Each request gets a clear 4xx or is counted exactly, and Redis never
/// gets a key other than the ballot's (a fresh Redis per class, so its whole key space can be checked).
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class HostileInputTests : IAsyncLifetime
{
    private static readonly string[] s_allowedKeys = ["votes:Cats", "votes:Dogs", "votes-generation"];

    private readonly WebFixture _app = new();
    private HttpClient _apiClient = null!;
    private HttpClient _browser = null!;

    public async ValueTask InitializeAsync()
    {
        await _app.InitializeAsync();
        _apiClient = _app.Api.CreateRawClient();
        _browser = _app.Web.CreateRawClient();
        await _apiClient.DeleteAsync("api/votes");
    }

    public async ValueTask DisposeAsync()
    {
        _apiClient.Dispose();
        _browser.Dispose();
        await _app.DisposeAsync();
    }

    [Theory]
    [InlineData("Cats Dogs")]
    [InlineData("*")]
    [InlineData("votes:*")]
    [InlineData(":")]
    [InlineData("Cats\r\nDEL votes:Cats")]
    [InlineData("../Dogs")]
    public async Task Option_names_with_spaces_wildcards_separators_or_newlines_are_404s(string option)
    {
        using var response = await _apiClient.PostAsync($"api/votes/{Uri.EscapeDataString(option)}", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertOnlyBallotKeysAsync();
        await AssertCountsAsync(cats: 0, dogs: 0);
    }

    [Fact]
    public async Task A_NUL_in_the_option_is_refused_by_the_server_before_the_api_sees_it()
    {
        using var response = await _apiClient.PostAsync("api/votes/Cats%00", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertCountsAsync(cats: 0, dogs: 0);
    }

    [Fact]
    public async Task A_very_long_option_name_is_a_4xx()
    {
        using var response = await _apiClient.PostAsync($"api/votes/{new string('C', 100_000)}", null, TestContext.Current.CancellationToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
        await AssertCountsAsync(cats: 0, dogs: 0);
    }

    [Theory]
    [InlineData("application/json", "{\"vote\":\"Cats\"}")]
    [InlineData("text/plain", "Cats")]
    [InlineData("application/x-www-form-urlencoded", "vote=Cats")]
    public async Task A_vote_with_a_body_of_any_content_type_is_a_415_and_counts_nothing(string contentType, string body)
    {
        using var response = await _apiClient.PostAsync("api/votes/Cats", new StringContent(body, Encoding.UTF8, contentType), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertCountsAsync(cats: 0, dogs: 0);
    }

    [Fact]
    public async Task A_1MB_body_is_refused_by_the_api_and_by_the_web()
    {
        var megabyte = new string('x', 1024 * 1024);

        using var api = await _apiClient.PostAsync("api/votes/Cats", new StringContent(megabyte), TestContext.Current.CancellationToken);
        using var web = await VotingPage.SubmitAsync(_browser, new()
        {
            ["vote"] = "Cats",
            ["padding"] = megabyte,
        });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, api.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, web.StatusCode);
        Assert.Contains("Request not accepted", await web.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await AssertCountsAsync(cats: 0, dogs: 0);
    }

    [Fact]
    public async Task A_web_vote_posted_as_json_is_rejected()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("{\"vote\":\"Cats\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Sec-Fetch-Site", VotingPage.SameOrigin);

        using var response = await _browser.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertCountsAsync(cats: 0, dogs: 0);
    }

    [Fact]
    public async Task A_burst_of_10000_concurrent_votes_counts_exactly_10000()
    {
        const int Votes = 10_000;
        // Many requests in flight over a bounded pool of connections, as a load balancer would send them.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        using var client = new HttpClient(handler) { BaseAddress = _app.Api.BaseAddress };

        var responses = await Task.WhenAll(Enumerable.Range(0, Votes).Select(async i =>
        {
            using var response = await client.PostAsync(i % 4 == 0 ? "api/votes/Dogs" : "api/votes/Cats", null);
            return response.StatusCode;
        }));

        Assert.All(responses, status => Assert.Equal(HttpStatusCode.OK, status));
        await AssertCountsAsync(cats: Votes * 3 / 4, dogs: Votes / 4);
        await AssertOnlyBallotKeysAsync();
    }

    private async Task AssertCountsAsync(long cats, long dogs)
    {
        var tally = await _apiClient.GetFromJsonAsync<TallyDto>("api/votes");
        Assert.Equal((cats, dogs), (tally!.CountOf("Cats"), tally.CountOf("Dogs")));
    }

    /// <summary>Only the ballot's counts and their reset generation: nothing a request named.</summary>
    private async Task AssertOnlyBallotKeysAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_app.Redis.ConnectionString);
        var keys = await RedisKeys.AllAsync(redis);

        Assert.All(keys, key => Assert.Contains(key, s_allowedKeys));
    }
}
