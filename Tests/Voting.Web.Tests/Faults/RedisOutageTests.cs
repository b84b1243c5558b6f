using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Voting.Web.Tests.Faults;

/// <summary>Redis goes away and comes back, under the Api and the Web: 503s, then recovery with no restart.</summary>
/// <remarks>
/// Its own Redis, Api and Web, so stopping Redis disturbs no other test. The default run checks what happens; the
/// Timing test checks how fast, which depends on how busy the machine is, so it runs apart (Category=Timing).
/// </remarks>
[Collection(FaultsCollection.Name)]
public sealed class RedisOutageTests : IAsyncLifetime
{
    /// <summary>How long the Api may take to serve votes again once Redis is back (it reconnects by itself).</summary>
    private static readonly TimeSpan s_recoveryLimit = TimeSpan.FromSeconds(5);

    /// <summary>How long the tests wait for a recovery before calling it a hang; not a measure of speed.</summary>
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);

    private readonly WebFixture _app = new();

    public ValueTask InitializeAsync() => _app.InitializeAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Without_redis_the_api_answers_503_and_recovers_by_itself()
    {
        var run = await OutageAsync();

        Assert.All(run.DuringOutage, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));
        Assert.All(run.DuringOutage, r => Assert.Equal("application/problem+json", r.MediaType));
        Assert.All(run.DuringOutage, r => Assert.Equal(503, r.ProblemStatus));
        // Ready fails (out of rotation), alive stays healthy (no restart): exactly what the probes need.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, run.HealthDuringOutage);
        Assert.Equal("Healthy", run.AliveDuringOutage);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, run.PageDuringOutage);
        Assert.Contains("temporarily unavailable", run.PageBodyDuringOutage, StringComparison.OrdinalIgnoreCase);

        Assert.NotNull(run.FirstVoteAfterRestart);
        Assert.Equal(1, run.FirstVoteAfterRestart.CountOf("Dogs"));
        // Under load too: every request got an answer, a vote or a 503, and the last ones were votes again.
        Assert.All(run.UnderLoad, o => Assert.True(o.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{o}; the Api logged: {ApiErrors()}"));
        Assert.Contains(run.UnderLoad, o => o.Status == HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, run.UnderLoad[^1].Status);
        Assert.Equal("Healthy", run.HealthAfter);
        Assert.Equal(HttpStatusCode.OK, run.PageAfter);
    }

    [Fact]
    [Trait("Category", "Timing")]
    public async Task Without_redis_the_503s_come_within_a_second_and_recovery_within_seconds()
    {
        var run = await OutageAsync();

        Assert.All(run.DuringOutage, r => Assert.True(r.Elapsed < TimeSpan.FromSeconds(2), $"The 503 took {r.Elapsed}."));
        Assert.True(run.Recovery <= s_recoveryLimit, $"The Api had not recovered after {run.Recovery}.");
        // The 503s under load within a second (p99, so one GC pause is not a failure), and nothing near hanging.
        var unavailable = run.UnderLoad.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).Select(o => o.Elapsed).Order().ToList();
        Assert.NotEmpty(unavailable);
        var p99 = unavailable[(int)(unavailable.Count * 0.99)];
        Assert.True(p99 < TimeSpan.FromSeconds(1), $"p99 of {unavailable.Count} 503s was {p99}.");
        var slowest = run.UnderLoad.Max(o => o.Elapsed);
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"The slowest of {run.UnderLoad.Count} requests took {slowest}.");
    }

    private string ApiErrors() =>
        string.Join(Environment.NewLine, _app.ApiLogs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message} {e.Exception}"));

    /// <summary>Stops Redis under a steady vote load, asks the Api, the probes and the page, then brings Redis back.</summary>
    private async Task<OutageRun> OutageAsync()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var api = _app.Api.CreateRawClient();
        using var browser = _app.Web.CreateRawClient();
        await api.DeleteAsync("api/votes", cancel);
        await api.PostAsync("api/votes/Cats", null, cancel);
        await using var load = new VoteLoad(_app.Api.BaseAddress);
        await load.AnsweredAsync(HttpStatusCode.OK);

        await _app.Redis.StopAsync();

        var duringOutage = new List<Answer>();
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => api.PostAsync("api/votes/Cats", null, cancel),
                     () => api.GetAsync("api/votes", cancel),
                     () => api.DeleteAsync("api/votes", cancel),
                 })
        {
            var started = TimeProvider.System.GetTimestamp();
            using var response = await request();
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDto>(cancel);
            duringOutage.Add(new(response.StatusCode, response.Content.Headers.ContentType?.MediaType, problem?.Status, elapsed));
        }

        using var health = await api.GetAsync("health", cancel);
        var alive = await api.GetStringAsync("alive", cancel);
        using var page = await browser.GetAsync("/", cancel);
        var pageBody = await page.Content.ReadAsStringAsync(cancel);
        await load.AnsweredAsync(HttpStatusCode.ServiceUnavailable);

        await _app.Redis.RestartAsync();
        var restarted = TimeProvider.System.GetTimestamp();
        var tally = await Eventually.WithinAsync(s_hangGuard, async () =>
        {
            using var response = await api.PostAsync("api/votes/Dogs", null, cancel);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<TallyDto>(cancel) : null;
        });
        var recovery = TimeProvider.System.GetElapsedTime(restarted);
        // The load sees the recovery too before it stops: its last answers are votes again.
        await load.AnsweredAsync(HttpStatusCode.OK);
        var underLoad = await load.StopAsync();

        var healthAfter = await api.GetStringAsync("health", cancel);
        using var pageAfter = await browser.GetAsync("/", cancel);
        return new(duringOutage, health.StatusCode, alive, page.StatusCode, pageBody, tally, recovery, underLoad, healthAfter, pageAfter.StatusCode);
    }

    private sealed record Answer(HttpStatusCode Status, string? MediaType, int? ProblemStatus, TimeSpan Elapsed);

    private sealed record OutageRun(
        List<Answer> DuringOutage, HttpStatusCode HealthDuringOutage, string AliveDuringOutage, HttpStatusCode PageDuringOutage,
        string PageBodyDuringOutage, TallyDto? FirstVoteAfterRestart, TimeSpan Recovery, List<VoteLoad.Outcome> UnderLoad,
        string HealthAfter, HttpStatusCode PageAfter);
}
