using System.Net;
using StackExchange.Redis;

namespace Voting.Web.Tests.Faults;

/// <summary>
/// Redis receives a vote (or a reset) but does not answer within the Api's timeout, and runs it later. The page cannot
/// say "nothing happened, try again": it says the vote may or may not have gone through, and to check the counts
/// before sending it again, which could count it twice.
/// </summary>
/// <remarks>Needs Redis' own redis-server: the embedded server cannot hold a client's command (CLIENT PAUSE).</remarks>
[Collection(FaultsCollection.Name)]
public sealed class UnconfirmedWriteTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(15);

    /// <summary><paramref name="countsAfter"/>: Cats.Dogs once Redis has run the write, after one vote for Dogs.</summary>
    [Theory]
    [InlineData("button1", "Your vote", "1.1")]
    [InlineData("button3", "The reset", "0.0")]
    public async Task A_write_redis_runs_only_after_the_timeout_gets_a_page_that_says_it_may_have_gone_through(
        string button, string sent, string countsAfter)
    {
        RequiredTools.Require("redis-server");
        var cancel = TestContext.Current.CancellationToken;
        await using var redisServer = await RedisServerProcess.StartAsync();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.ConnectionString);
        var db = redis.GetDatabase();
        await using var api = await WebFixture.StartApiAsync(redisServer.ConnectionString);
        await using var web = WebFixture.StartWeb(api.BaseAddress);
        using var browser = web.CreateRawClient();
        using (var before = await VotingPage.SubmitAsync(browser, new() { ["vote"] = "Dogs" }))
        {
            Assert.Equal(HttpStatusCode.SeeOther, before.StatusCode);
        }

        var page = await VotingPage.LoadAsync(browser);

        // Redis holds every write for three seconds, then runs it: past the Api's one-second timeout, and short of the
        // four timeouts without a reply after which the Redis client drops the connection, and Redis the command with it.
        await db.ExecuteAsync("CLIENT", "PAUSE", "3000", "WRITE");
        using var answer = await page.ClickAsync(browser, button);
        var body = await answer.Content.ReadAsStringAsync(cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.Contains($"{sent} may or may not have gone through", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Please try again", body, StringComparison.Ordinal);
        // And it did go through once Redis resumed: exactly once, as the page's advice keeps it.
        var counts = "";
        Assert.True(await Eventually.TrueWithinAsync(s_limit, async () =>
        {
            counts = $"{(long)await db.StringGetAsync("votes:Cats")}.{(long)await db.StringGetAsync("votes:Dogs")}";
            return counts == countsAfter;
        }), $"Cats.Dogs in Redis: {counts}");
    }
}
