namespace Voting.Api.Voting;

/// <summary>
/// Counts votes in Redis under namespaced keys (<c>votes:Cats</c>), so the app can share a Redis with others.
/// Only keys for the ballot's options are ever written: the API resolves an option before it gets here.
/// </summary>
public sealed class RedisVoteStore(IConnectionMultiplexer redis, Ballot ballot) : IVoteStore
{
    public const string KeyPrefix = "votes:";

    /// <summary>
    /// How Garnet, the embedded store, reports an error raised inside a script (<c>ERR Lua encountered an error: WRONGTYPE
    /// ...</c>); Redis 7 returns the command's own error (<c>WRONGTYPE ...</c>, <c>OOM ...</c>).
    /// </summary>
    private const string WrappedScriptErrorPrefix = "ERR Lua encountered an error: ";

    private readonly RedisKey[] _keys = [.. ballot.Options.Select(KeyFor)];

    // Per option: the key to increment, then every key of the ballot to read back. Built once, so a vote allocates no keys.
    private readonly RedisKey[][] _voteKeys = [.. ballot.Options.Select(option => (RedisKey[])[KeyFor(option), .. ballot.Options.Select(KeyFor)])];

    public static RedisKey KeyFor(string option) => KeyPrefix + option;

    public async Task<long[]> GetCountsAsync()
    {
        try
        {
            return ToCounts(await redis.GetDatabase().StringGetAsync(_keys));
        }
        catch (TaskCanceledException exception)
        {
            throw NotSent("MGET", exception);
        }
    }

    public async Task<long[]> CastVoteAsync(int optionIndex)
    {
        // One command, one reply: Redis runs the script without interleaving anything else, so the counts returned
        // are exactly those right after this vote. An INCR that fails (OOM when Redis is full, READONLY, WRONGTYPE...)
        // stops the script before anything is written, and its error comes back with Redis' own code.
        RedisResult counts;
        try
        {
            counts = await redis.GetDatabase().ScriptEvaluateAsync(CastVoteScript.Text, _voteKeys[optionIndex]);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith(WrappedScriptErrorPrefix, StringComparison.Ordinal))
        {
            // Unwrapped, the error reads the same from Garnet as from Redis, and gets the same answer (507, 503, 500).
            throw new RedisServerException(exception.Message[WrappedScriptErrorPrefix.Length..]);
        }
        catch (TaskCanceledException exception)
        {
            throw NotSent("EVAL", exception);
        }

        return ToCounts((RedisValue[]?)counts ?? []);
    }

    public async Task<long[]> ResetAsync()
    {
        // One MSET: every count becomes 0 at once.
        try
        {
            await redis.GetDatabase().StringSetAsync([.. _keys.Select(key => new KeyValuePair<RedisKey, RedisValue>(key, 0))]);
        }
        catch (TaskCanceledException exception)
        {
            throw NotSent("MSET", exception);
        }

        return new long[_keys.Length];
    }

    /// <summary>
    /// The client takes no cancellation token here, so a cancelled command is one it dropped unsent: with no connection
    /// to send it on (Redis just went away), it usually throws <see cref="RedisConnectionException"/>, but the cancellation
    /// it queues for the same command can win that race. Either way nothing reached Redis, so both get the same answer, a
    /// 503 that says nothing was changed, rather than a 500 for what is an outage.
    /// </summary>
    private static RedisConnectionException NotSent(string command, TaskCanceledException exception) =>
        new(ConnectionFailureType.UnableToConnect,
            $"No connection to the vote store was available to send {command}; the command was dropped unsent.", exception);

    private static long[] ToCounts(RedisValue[] values) =>
        [.. values.Select(value => value.IsNull ? 0 : (long)value)];
}
