using System.Net.Http.Json;

namespace Voting.Api.Tests.Faults;

/// <summary>Redis restarted with append-only persistence (as the Kubernetes StatefulSet runs it): no vote is lost.</summary>
[Collection(FaultsCollection.Name)]
public sealed class PersistenceTests
{
    [Fact]
    public async Task The_counts_survive_a_redis_restart_with_append_only_persistence()
    {
        await using var redis = await TestRedis.StartAsync(appendOnly: true);
        await using var api = await ApiFixture.StartApiAsync(redis.ConnectionString);
        using var client = api.CreateRawClient();
        await client.DeleteAsync("api/votes", TestContext.Current.CancellationToken);
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }

        (await client.PostAsync("api/votes/Dogs", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        await redis.StopAsync();
        await redis.RestartAsync();

        // The Api reconnects by itself; the limit only tells a hang from a recovery (Timing tests measure speed).
        var tally = await Eventually.WithinAsync(TimeSpan.FromSeconds(60), async () =>
        {
            using var response = await client.GetAsync("api/votes");
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<TallyDto>() : null;
        });
        Assert.NotNull(tally);
        Assert.Equal(3, tally.CountOf("Cats"));
        Assert.Equal(1, tally.CountOf("Dogs"));
    }
}
