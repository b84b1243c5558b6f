namespace Voting.Api.Voting;

/// <summary>
/// Counts votes in Redis under namespaced keys (<c>votes:Cats</c>), so the app can share a Redis with others.
/// Only keys for the ballot's options are ever written: the API resolves an option before it gets here.
/// </summary>
public sealed class RedisVoteStore(IConnectionMultiplexer redis, Ballot ballot) : IVoteStore
{
    public const string KeyPrefix = "votes:";

    private readonly RedisKey[] _keys = [.. ballot.Options.Select(KeyFor)];

    public static RedisKey KeyFor(string option) => KeyPrefix + option;

    public async Task<long[]> GetCountsAsync() =>
        ToCounts(await redis.GetDatabase().StringGetAsync(_keys));

    public async Task<long[]> CastVoteAsync(int optionIndex)
    {
        // MULTI/INCR/MGET/EXEC goes out in one write and comes back in one reply: one round trip,
        // and the counts returned are exactly those right after this vote.
        var transaction = redis.GetDatabase().CreateTransaction();
        var increment = transaction.StringIncrementAsync(_keys[optionIndex]);
        var counts = transaction.StringGetAsync(_keys);
        bool executed;
        try
        {
            executed = await transaction.ExecuteAsync();
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("EXECABORT ", StringComparison.Ordinal))
        {
            // Redis refused the INCR while queueing it and discarded the transaction, and EXEC's reply only says
            // "previous errors". The same write made harmless (INCRBY 0) gets Redis' own reason (OOM when it is full,
            // READONLY, MISCONF...) as the exception to report.
            await redis.GetDatabase().StringIncrementAsync(_keys[optionIndex], 0);
            throw new VoteStoreUnavailableException("Redis discarded the vote transaction, then accepted a write again.");
        }

        if (!executed)
        {
            // EXEC was refused (the connection broke between MULTI and EXEC): nothing ran.
            throw new VoteStoreUnavailableException("The vote transaction was not executed.");
        }

        // Inside EXEC each command succeeds or fails on its own: an INCR that failed (WRONGTYPE, a value that is not a
        // number) must surface, not leave the vote uncounted behind a 200.
        await increment;
        return ToCounts(await counts);
    }

    public async Task<long[]> ResetAsync()
    {
        // One MSET: every count becomes 0 at once.
        await redis.GetDatabase().StringSetAsync([.. _keys.Select(key => new KeyValuePair<RedisKey, RedisValue>(key, 0))]);
        return new long[_keys.Length];
    }

    private static long[] ToCounts(RedisValue[] values) =>
        [.. values.Select(value => value.IsNull ? 0 : (long)value)];
}
