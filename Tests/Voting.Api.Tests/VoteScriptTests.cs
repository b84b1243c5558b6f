using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using StackExchange.Redis;

namespace Voting.Api.Tests;

/// <summary>
/// A vote is one server-side script run by its SHA: one command and one reply, which is what keeps a vote cheap for
/// both the Api and Redis. Redis keeps scripts in memory only, so a vote must still count, exactly once, after Redis
/// has forgotten the script (a restart, a failover, SCRIPT FLUSH).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class VoteScriptTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_vote_counts_exactly_once_after_redis_has_forgotten_the_vote_script()
    {
        var cancel = TestContext.Current.CancellationToken;
        (await fixture.Client.DeleteAsync("api/votes", cancel)).Dispose();
        (await fixture.Client.PostAsync("api/votes/Cats", null, cancel)).Dispose();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString + ",allowAdmin=true");
        await admin.GetServer(admin.GetEndPoints().Single()).ScriptFlushAsync();

        using var response = await fixture.Client.PostAsync("api/votes/Cats", null, cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<TallyDto>(cancel))!.CountOf("Cats"));
        Assert.Equal(2, (long)await fixture.RedisClient.GetDatabase().StringGetAsync("votes:Cats"));
    }

    [Fact]
    public async Task A_vote_is_one_evalsha_with_no_transaction()
    {
        RequiredTools.Require("redis-server");
        var cancel = TestContext.Current.CancellationToken;
        await using var server = await RedisServerProcess.StartAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true");
        var redis = admin.GetServer(admin.GetEndPoints().Single());
        await using var api = await ApiFixture.StartApiAsync(server.ConnectionString);
        using var client = api.CreateRawClient();
        // The first vote loads the script (SCRIPT LOAD); every later one sends only its SHA.
        (await client.PostAsync("api/votes/Cats", null, cancel)).Dispose();
        await redis.ConfigResetStatisticsAsync();

        for (var i = 0; i < 5; i++)
        {
            using var vote = await client.PostAsync("api/votes/Dogs", null, cancel);
            Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
        }

        var calls = await CommandCallsAsync(redis);
        Assert.Equal(5, calls.GetValueOrDefault("evalsha"));
        Assert.Equal(5, calls.GetValueOrDefault("incr"));
        Assert.Equal(5, calls.GetValueOrDefault("mget"));
        Assert.DoesNotContain("eval", calls.Keys);
        Assert.DoesNotContain("multi", calls.Keys);
        Assert.DoesNotContain("exec", calls.Keys);
    }

    /// <summary>
    /// The counts and their generation change together and are read together, so no client can see new counts with an
    /// old generation, or the reverse: a reset is one script (no MSET then INCR), a read one MGET of every key.
    /// </summary>
    [Fact]
    public async Task A_reset_is_one_evalsha_and_a_read_one_mget_of_the_counts_and_their_generation()
    {
        RequiredTools.Require("redis-server");
        var cancel = TestContext.Current.CancellationToken;
        await using var server = await RedisServerProcess.StartAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true");
        var redis = admin.GetServer(admin.GetEndPoints().Single());
        await using var api = await ApiFixture.StartApiAsync(server.ConnectionString);
        using var client = api.CreateRawClient();
        (await client.DeleteAsync("api/votes", cancel)).Dispose();
        await redis.ConfigResetStatisticsAsync();

        int options;
        using (var reset = await client.DeleteAsync("api/votes", cancel))
        {
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
            options = (await reset.Content.ReadFromJsonAsync<TallyDto>(cancel))!.Options.Count;
        }

        using (var read = await client.GetAsync("api/votes", cancel))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var calls = await CommandCallsAsync(redis);
        Assert.Equal(1, calls.GetValueOrDefault("evalsha"));
        Assert.Equal(1, calls.GetValueOrDefault("incr"));
        Assert.Equal(options, calls.GetValueOrDefault("set"));
        Assert.Equal(1, calls.GetValueOrDefault("mget"));
        Assert.All(["eval", "mset", "get", "multi", "exec"], command => Assert.DoesNotContain(command, calls.Keys));
        Assert.Equal(2, (long)await admin.GetDatabase().StringGetAsync("votes-generation"));
    }

    /// <summary>Calls per command since the last CONFIG RESETSTAT, from INFO commandstats (commands a script runs included).</summary>
    private static async Task<Dictionary<string, long>> CommandCallsAsync(IServer redis)
    {
        var stats = (await redis.InfoAsync("commandstats")).SelectMany(group => group);
        // cmdstat_evalsha:calls=5,usec=...
        return stats.ToDictionary(
            stat => stat.Key["cmdstat_".Length..],
            stat => long.Parse(stat.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
    }
}
