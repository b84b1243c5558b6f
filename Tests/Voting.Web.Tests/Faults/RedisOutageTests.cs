using System.Net;
using System.Net.Http.Json;

namespace Voting.Web.Tests.Faults;

/// <summary>Redis goes away and comes back, under the Api and the Web: bounded 503s, then recovery with no restart.</summary>
/// <remarks>Its own Redis, Api and Web, so stopping Redis disturbs no other test.</remarks>
[Collection(FaultsCollection.Name)]
public sealed class RedisOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan s_recoveryLimit = TimeSpan.FromSeconds(5);

    private readonly WebFixture _app = new();

    public ValueTask InitializeAsync() => _app.InitializeAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Without_redis_the_api_answers_503_quickly_and_recovers_by_itself()
    {
        using var api = _app.Api.CreateRawClient();
        using var browser = _app.Web.CreateRawClient();
        await api.DeleteAsync("api/votes", TestContext.Current.CancellationToken);
        await api.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        using var stopLoad = new CancellationTokenSource();
        var load = VoteUnderLoadAsync(_app.Api.BaseAddress, stopLoad.Token);
        await Task.Delay(300, TestContext.Current.CancellationToken);

        await _app.Redis.StopAsync();

        foreach (var request in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => api.PostAsync("api/votes/Cats", null),
                     () => api.GetAsync("api/votes"),
                     () => api.DeleteAsync("api/votes"),
                 })
        {
            var started = TimeProvider.System.GetTimestamp();
            using var response = await request();
            var elapsed = TimeProvider.System.GetElapsedTime(started);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDto>(cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(503, problem!.Status);
            Assert.True(elapsed < TimeSpan.FromSeconds(2), $"The 503 took {elapsed}.");
        }

        // Ready fails (out of rotation), alive stays healthy (no restart): exactly what the probes need.
        using (var health = await api.GetAsync("health", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        Assert.Equal("Healthy", await api.GetStringAsync("alive", TestContext.Current.CancellationToken));

        using (var page = await browser.GetAsync("/", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Contains("temporarily unavailable", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
        }

        await _app.Redis.RestartAsync();
        var restarted = TimeProvider.System.GetTimestamp();
        var tally = await Eventually.WithinAsync(s_recoveryLimit + TimeSpan.FromSeconds(1), async () =>
        {
            using var response = await api.PostAsync("api/votes/Dogs", null);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<TallyDto>() : null;
        });

        var recovery = TimeProvider.System.GetElapsedTime(restarted);
        Assert.True(tally is not null && recovery <= s_recoveryLimit, $"The Api had not recovered after {recovery}.");
        Assert.Equal(1, tally!.CountOf("Dogs"));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await stopLoad.CancelAsync();
        var outcomes = await load;

        // Under load too: every request got an answer, a vote or a 503; the 503s within a second (p99, so one
        // GC pause on a shared machine is not a failure) and nothing anywhere near hanging.
        Assert.All(outcomes, o => Assert.True(o.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, o.ToString()));
        var unavailable = outcomes.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).Select(o => o.Elapsed).Order().ToList();
        Assert.NotEmpty(unavailable);
        var p99 = unavailable[(int)(unavailable.Count * 0.99)];
        Assert.True(p99 < TimeSpan.FromSeconds(1), $"p99 of {unavailable.Count} 503s was {p99}.");
        var slowest = outcomes.Max(o => o.Elapsed);
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"The slowest of {outcomes.Count} requests took {slowest}.");
        Assert.Equal(HttpStatusCode.OK, outcomes[^1].Status);
        Assert.Equal("Healthy", await api.GetStringAsync("health", TestContext.Current.CancellationToken));
        using var recovered = await browser.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    private sealed record Outcome(HttpStatusCode Status, TimeSpan Elapsed);

    /// <summary>Eight clients voting back to back until stopped; every request's status and duration, in order.</summary>
    private static async Task<List<Outcome>> VoteUnderLoadAsync(Uri api, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        var outcomes = new List<Outcome>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = TimeProvider.System.GetTimestamp();
                using var response = await client.PostAsync("api/votes/Cats", null, CancellationToken.None);
                var outcome = new Outcome(response.StatusCode, TimeProvider.System.GetElapsedTime(started));
                lock (outcomes)
                {
                    outcomes.Add(outcome);
                }
            }
        }));
        return outcomes;
    }
}
