using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Voting.Web.Tests.Faults;

/// <summary>
/// Redis at its maxmemory with noeviction, as the manifests run it: a vote fails loudly (507 from the Api, a page that
/// says so from the Web), no count is lost or evicted, reads keep working, and voting resumes once there is room.
/// </summary>
/// <remarks>Needs Redis' own redis-server: the embedded server has no maxmemory with noeviction.</remarks>
[Collection(FaultsCollection.Name)]
public sealed class RedisFullTests
{
    [Fact]
    public async Task A_full_redis_refuses_votes_loudly_and_keeps_every_count()
    {
        RequiredTools.Require("redis-server");

        await using var redisServer = await RedisServerProcess.StartAsync("--maxmemory-policy", "noeviction");
        // Admin, for CONFIG SET maxmemory.
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{redisServer.ConnectionString},allowAdmin=true");
        var db = redis.GetDatabase();
        var logs = new LogCapture();
        await using var api = await WebFixture.StartApiAsync(redisServer.ConnectionString,
            configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        await using var web = WebFixture.StartWeb(api.BaseAddress);
        using var client = api.CreateRawClient();
        using var browser = web.CreateRawClient();
        for (var i = 0; i < 3; i++)
        {
            using var vote = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
        }

        var page = await VotingPage.LoadAsync(browser);
        await FillPastMaxmemoryAsync(redis.GetServer(redisServer.ConnectionString), db);

        using var refused = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        using var refusedPage = await page.ClickAsync(browser, "button2");

        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<ProblemDto>(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("The vote store is full", problem!.Title);
        Assert.False(refused.Headers.Contains("Retry-After"));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message.StartsWith("OOM", StringComparison.Ordinal) == true);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedPage.StatusCode);
        Assert.Contains("The vote store is full", await refusedPage.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        // Nothing was lost or evicted, and reads still work.
        Assert.Equal(3, (long)await db.StringGetAsync("votes:Cats"));
        Assert.False(await db.KeyExistsAsync("votes:Dogs"));
        var tally = await client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal((3, 0), (tally!.CountOf("Cats"), tally.CountOf("Dogs")));

        // An operator makes room: votes count again, from where they were.
        await db.KeyDeleteAsync(s_fillers);
        using var resumed = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal(4, (await resumed.Content.ReadFromJsonAsync<TallyDto>(cancellationToken: TestContext.Current.CancellationToken))!.CountOf("Cats"));
    }

    /// <summary>The keys of 2 MB of 1 KB values.</summary>
    private static readonly RedisKey[] s_fillers = [.. Enumerable.Range(0, 2048).Select(i => (RedisKey)$"filler:{i}")];

    /// <summary>
    /// Writes the fillers, then sets maxmemory 1 MB below what Redis uses: every write is refused by a clear margin
    /// (at the very edge a small write may fit or not, as client buffers come and go), and deleting the fillers makes
    /// room again.
    /// </summary>
    private static async Task FillPastMaxmemoryAsync(IServer server, IDatabase db)
    {
        var value = new string('x', 1024);
        await Task.WhenAll(s_fillers.Select(key => db.StringSetAsync(key, value)));
        var memory = await server.InfoAsync("memory");
        var used = long.Parse(memory.SelectMany(section => section).Single(field => field.Key == "used_memory").Value, CultureInfo.InvariantCulture);
        await server.ConfigSetAsync("maxmemory", used - (1024 * 1024));
    }
}
