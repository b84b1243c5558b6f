using System.Net;
using System.Net.Http.Json;
using Voting.ServiceDefaults;

namespace Voting.Api.Tests;

/// <summary>Security headers, forwarded-header trust, rate limits, reset control and HEAD, over real HTTP.</summary>
[Collection(ApiCollection.Name)]
public sealed class EdgeProtectionTests(ApiFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("GET", "api/votes")]
    [InlineData("GET", "api/nothing-here")]
    [InlineData("POST", "api/votes/Mice")]
    [InlineData("PUT", "api/votes")]
    [InlineData("GET", "health")]
    public async Task Every_answer_carries_the_security_headers_and_no_server_header(string method, string path)
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), TestContext.Current.CancellationToken);

        SecurityHeaders.AssertOnPlainHttp(response, ContentSecurityPolicies.Api);
    }

    [Fact]
    public async Task Head_answers_like_get_without_a_body()
    {
        using var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "api/votes"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Https_forwarded_by_a_trusted_proxy_gets_hsts_and_an_untrusted_one_does_not()
    {
        await using var behindProxy = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
            new Dictionary<string, string?> { ["ForwardedHeaders:KnownNetworks"] = "10.0.0.0/8, 127.0.0.0/8" });
        using var trusted = behindProxy.CreateRawClient();

        using var viaTrusted = await trusted.SendAsync(ForwardedHttps(), TestContext.Current.CancellationToken);
        using var viaUntrusted = await _client.SendAsync(ForwardedHttps(), TestContext.Current.CancellationToken);

        Assert.StartsWith("max-age=", SecurityHeaders.Header(viaTrusted, "Strict-Transport-Security"), StringComparison.Ordinal);
        Assert.False(viaUntrusted.Headers.Contains("Strict-Transport-Security"));

        static HttpRequestMessage ForwardedHttps()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "api/votes");
            request.Headers.Host = "voting.example.com";
            request.Headers.Add("X-Forwarded-Proto", "https");
            return request;
        }
    }

    [Fact]
    public async Task Writes_over_the_limit_get_a_429_problem_with_retry_after_and_count_nothing()
    {
        var settings = Limit(3);
        // ASP.NET Core's own switch (ASPNETCORE_FORWARDEDHEADERS_ENABLED) trusts every sender; with no proxy
        // configured it must change nothing.
        settings["FORWARDEDHEADERS_ENABLED"] = "true";
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString, settings);
        using var client = api.CreateRawClient();
        await fixture.RedisClient.GetDatabase().KeyDeleteAsync(["votes:Cats", "votes:Dogs"]);

        for (var i = 0; i < 3; i++)
        {
            using var accepted = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var vote = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        using var reset = await client.DeleteAsync("api/votes", TestContext.Current.CancellationToken);
        // A forged X-Forwarded-For from an untrusted sender is ignored: it is still the same client.
        using var forged = new HttpRequestMessage(HttpMethod.Post, "api/votes/Cats");
        forged.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var forgedVote = await client.SendAsync(forged, TestContext.Current.CancellationToken);

        foreach (var refused in new[] { vote, reset, forgedVote })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(429, (await refused.Content.ReadFromJsonAsync<ProblemDto>(cancellationToken: TestContext.Current.CancellationToken))!.Status);
            Assert.InRange(int.Parse(SecurityHeaders.Header(refused, "Retry-After")!, System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        }

        // Reads are not limited, and nothing refused was counted.
        var tally = await client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(3, tally!.CountOf("Cats"));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_address_has_its_own_limit()
    {
        var settings = Limit(1);
        settings["ForwardedHeaders:KnownProxies"] = "127.0.0.1";
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString, settings);
        using var client = api.CreateRawClient();

        Assert.Equal(HttpStatusCode.OK, await VoteFromAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await VoteFromAsync("203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await VoteFromAsync("203.0.113.2"));

        async Task<HttpStatusCode> VoteFromAsync(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/votes/Dogs");
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
    }

    [Fact]
    public async Task With_reset_turned_off_delete_is_a_403_problem_and_get_says_so()
    {
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
            new Dictionary<string, string?> { ["ALLOW_RESET"] = "false" });
        using var client = api.CreateRawClient();
        using (await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken))
        {
        }

        var before = await client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);
        using var response = await client.DeleteAsync("api/votes", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ALLOW_RESET", (await response.Content.ReadFromJsonAsync<ProblemDto>(cancellationToken: TestContext.Current.CancellationToken))!.Detail, StringComparison.Ordinal);
        Assert.False(before!.ResetAllowed);
        Assert.Equal(before, await client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken), TallyComparer.Instance);
        Assert.True((await _client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken))!.ResetAllowed);
    }

    private static Dictionary<string, string?> Limit(int permits) => new()
    {
        ["RateLimiting:PermitLimit"] = $"{permits}",
        // An hour: the window cannot roll over while the test runs, however slow the machine.
        ["RateLimiting:WindowSeconds"] = "3600",
    };

    private sealed class TallyComparer : IEqualityComparer<TallyDto?>
    {
        public static readonly TallyComparer Instance = new();

        public bool Equals(TallyDto? x, TallyDto? y) =>
            x is not null && y is not null && x.Title == y.Title && x.Options.SequenceEqual(y.Options) && x.ResetAllowed == y.ResetAllowed;

        public int GetHashCode(TallyDto? obj) => obj?.Title.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
