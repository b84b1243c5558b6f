using StackExchange.Redis;

namespace Voting.Testing;

public static class RedisKeys
{
    /// <summary>Every key in the (single-server) Redis, sorted: what the tests check nothing unexpected was written.</summary>
    public static async Task<List<string>> AllAsync(IConnectionMultiplexer redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var keys = new List<string>();
        await foreach (var key in redis.GetServers().Single().KeysAsync(pattern: "*"))
        {
            keys.Add(key.ToString());
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
