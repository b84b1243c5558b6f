using System.Net;
using System.Net.Http.Json;
using StackExchange.Redis;

namespace Voting.Api.Tests.Faults;

/// <summary>
/// A vote or a reset that fails with the connection to Redis says whether it may have counted. One Redis had already
/// received when the connection dropped, or did not answer in time, may have run, and a client that retried it blindly
/// could count a vote twice; one sent while the Api knew Redis was gone changed nothing, and so did any read.
/// </summary>
/// <remarks>Needs Redis' own redis-server: the embedded server cannot hold a client's command (CLIENT PAUSE).</remarks>
[Collection(FaultsCollection.Name)]
public sealed class LostConnectionTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("POST", "api/votes/Cats")]
    [InlineData("DELETE", "api/votes")]
    public async Task A_write_whose_connection_drops_after_redis_received_it_may_or_may_not_have_taken_effect(string method, string path)
    {
        RequiredTools.Require("redis-server");
        var cancel = TestContext.Current.CancellationToken;
        await using var server = await RedisServerProcess.StartAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{server.ConnectionString},allowAdmin=true");
        var db = admin.GetDatabase();
        await using var api = await ApiFixture.StartApiAsync(server.ConnectionString);
        using var client = api.CreateRawClient();
        using (var first = await client.PostAsync("api/votes/Cats", null, cancel))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Redis now holds every write it receives, unanswered: the Api's command is sent and waits there.
        await db.ExecuteAsync("CLIENT", "PAUSE", "60000", "WRITE");
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            var answer = client.SendAsync(request, cancel);
            var held = await Eventually.WithinAsync(s_limit, async () => HeldClientId((string?)await db.ExecuteAsync("CLIENT", "LIST")));
            Assert.True(held is not null, "Redis never held the Api's command.");
            await db.ExecuteAsync("CLIENT", "KILL", "ID", held);
            response = await answer;
        }
        finally
        {
            await db.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDto>(cancel);
            Assert.Contains("may or may not have taken effect", problem!.Detail, StringComparison.Ordinal);
            Assert.Equal("unknown", problem.Outcome);
        }

        // Redis dropped the held command with its connection, so this time it did not run; the Api reconnects by itself.
        Assert.Equal(1, (long)await db.StringGetAsync("votes:Cats"));
        var tally = await Eventually.WithinAsync(s_limit, async () =>
        {
            using var vote = await client.PostAsync("api/votes/Cats", null, cancel);
            return vote.IsSuccessStatusCode ? await vote.Content.ReadFromJsonAsync<TallyDto>(cancel) : null;
        });
        Assert.Equal(2, tally?.CountOf("Cats"));
    }

    [Fact]
    public async Task A_vote_or_a_reset_while_redis_is_known_to_be_down_changed_nothing()
    {
        RequiredTools.Require("redis-server");
        var cancel = TestContext.Current.CancellationToken;
        await using var server = await RedisServerProcess.StartAsync();
        await using var api = await ApiFixture.StartApiAsync(server.ConnectionString);
        using var client = api.CreateRawClient();

        await server.DisposeAsync();
        // Once the Api has seen the connection go (its readiness fails), commands are refused before they are sent.
        Assert.True(await Eventually.TrueWithinAsync(s_limit, async () =>
        {
            using var health = await client.GetAsync("health", cancel);
            return health.StatusCode == HttpStatusCode.ServiceUnavailable;
        }));

        foreach (var (method, path) in new[] { ("POST", "api/votes/Cats"), ("DELETE", "api/votes"), ("GET", "api/votes") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            using var response = await client.SendAsync(request, cancel);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDto>(cancel);
            Assert.Contains("Nothing was changed", problem!.Detail, StringComparison.Ordinal);
            Assert.Null(problem.Outcome);
        }
    }

    [Fact]
    public async Task A_vote_redis_does_not_answer_in_time_may_or_may_not_have_taken_effect_and_a_read_changed_nothing()
    {
        RequiredTools.Require("redis-server");
        var cancel = TestContext.Current.CancellationToken;
        await using var server = await RedisServerProcess.StartAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var api = await ApiFixture.StartApiAsync(server.ConnectionString);
        using var client = api.CreateRawClient();
        using (var first = await client.PostAsync("api/votes/Cats", null, cancel))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Redis holds every command for three seconds, then runs them: past the Api's one-second timeout, and short of the
        // four timeouts without a reply after which the Redis client drops the connection, and Redis the commands with it.
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "3000", "ALL");
        var vote = client.PostAsync("api/votes/Cats", null, cancel);
        var read = client.GetAsync("api/votes", cancel);
        using var voteAnswer = await vote;
        using var readAnswer = await read;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, voteAnswer.StatusCode);
        var voteProblem = await voteAnswer.Content.ReadFromJsonAsync<ProblemDto>(cancel);
        Assert.Contains("may or may not have taken effect", voteProblem!.Detail, StringComparison.Ordinal);
        Assert.Equal("unknown", voteProblem.Outcome);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readAnswer.StatusCode);
        var readProblem = await readAnswer.Content.ReadFromJsonAsync<ProblemDto>(cancel);
        Assert.Contains("try again shortly", readProblem!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("may or may not", readProblem.Detail, StringComparison.Ordinal);
        Assert.Null(readProblem.Outcome);

        // And it did: Redis ran the vote once the pause ended, which is why the answer could not say "nothing changed".
        var tally = await Eventually.WithinAsync(s_limit, async () =>
        {
            using var counts = await client.GetAsync("api/votes", cancel);
            return counts.IsSuccessStatusCode ? await counts.Content.ReadFromJsonAsync<TallyDto>(cancel) : null;
        });
        Assert.Equal(2, tally?.CountOf("Cats"));
    }

    /// <summary>The client whose command Redis is holding (flag <c>b</c>, blocked), from <c>CLIENT LIST</c>.</summary>
    private static string? HeldClientId(string? clients) =>
        clients?.Split('\n')
            .Select(line => line.Split(' ').Select(field => field.Split('=', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]))
            .FirstOrDefault(client => client.GetValueOrDefault("flags", "").Contains('b', StringComparison.Ordinal))?["id"];
}
