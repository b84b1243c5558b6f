using System.Net.Sockets;

namespace Voting.Api.Voting;

/// <summary>
/// Counts votes in Redis under namespaced keys (<c>votes:Cats</c>), so the app can share a Redis with others, beside
/// the reset generation (<see cref="GenerationKey"/>). Only keys for the ballot's options are ever written: the API
/// resolves an option before it gets here.
/// </summary>
public sealed class RedisVoteStore(IConnectionMultiplexer redis, Ballot ballot) : IVoteStore
{
    public const string KeyPrefix = "votes:";

    /// <summary>
    /// How many times the counts have been reset (missing: never). Outside <see cref="KeyPrefix"/>'s keys, so no option
    /// can be named onto it, yet listed with them by <c>votes*</c>.
    /// </summary>
    public const string GenerationKey = "votes-generation";

    /// <summary>
    /// How Garnet, the embedded store, reports an error raised inside a script (<c>ERR Lua encountered an error: WRONGTYPE
    /// ...</c>); Redis 7 returns the command's own error (<c>WRONGTYPE ...</c>, <c>OOM ...</c>).
    /// </summary>
    private const string WrappedScriptErrorPrefix = "ERR Lua encountered an error: ";

    // Every count in ballot order, then the generation: what a read gets and what a reset writes.
    private readonly RedisKey[] _keys = [.. ballot.Options.Select(KeyFor), GenerationKey];

    // Per option: the key to increment, then every key to read back. Built once, so a vote allocates no keys.
    private readonly RedisKey[][] _voteKeys =
        [.. ballot.Options.Select(option => (RedisKey[])[KeyFor(option), .. ballot.Options.Select(KeyFor), GenerationKey])];

    public static RedisKey KeyFor(string option) => KeyPrefix + option;

    public async Task<VoteCounts> GetCountsAsync()
    {
        RedisValue[] values;
        try
        {
            values = await redis.GetDatabase().StringGetAsync(_keys);
        }
        catch (Exception exception) when (IsConnectionLoss(exception))
        {
            throw ConnectionLost("MGET", exception);
        }

        return ToCounts(values);
    }

    /// <remarks>
    /// One command, one reply: Redis runs the script without interleaving anything else, so the counts returned are
    /// exactly those right after this vote. An INCR that fails (OOM when Redis is full, READONLY, WRONGTYPE...) stops the
    /// script before anything is written, and its error comes back with Redis' own code.
    /// </remarks>
    public async Task<VoteCounts> CastVoteAsync(int optionIndex) =>
        ToCounts((RedisValue[]?)await EvaluateAsync(CastVoteScript.Text, _voteKeys[optionIndex])
            ?? throw new RedisServerException("The vote script returned no counts."));

    public async Task<VoteCounts> ResetAsync() =>
        new(new long[ballot.Options.Count], (long)await EvaluateAsync(ResetScript.Text, _keys));

    private async Task<RedisResult> EvaluateAsync(string script, RedisKey[] keys)
    {
        try
        {
            return await redis.GetDatabase().ScriptEvaluateAsync(script, keys);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith(WrappedScriptErrorPrefix, StringComparison.Ordinal))
        {
            // Unwrapped, the error reads the same from Garnet as from Redis, and gets the same answer (507, 503, 500).
            throw new RedisServerException(exception.Message[WrappedScriptErrorPrefix.Length..]);
        }
        catch (Exception exception) when (IsConnectionLoss(exception))
        {
            throw ConnectionLost("EVAL", exception);
        }
    }

    /// <summary>
    /// The client reports a connection that fails under a command as <see cref="RedisConnectionException"/>, but in the
    /// instant Redis goes away races inside it can surface the same failure raw: the command's task cancelled (these calls
    /// take no cancellation token, so the client cancelled it itself), the pipe's "Writing is not allowed after writer was
    /// completed", a socket or I/O error. Each is the outage, not a bug, so each gets the outage's answer (503).
    /// </summary>
    private static bool IsConnectionLoss(Exception exception) =>
        exception is OperationCanceledException or InvalidOperationException or IOException or SocketException;

    /// <summary>
    /// The exception the client reports a lost connection with, naming the command and what it surfaced. Whether the
    /// command had reached Redis cannot be told from these, so its status is <see cref="CommandStatus.Unknown"/>: a vote
    /// or a reset is answered as one that may have taken effect.
    /// </summary>
    private static RedisConnectionException ConnectionLost(string command, Exception exception) =>
        new(ConnectionFailureType.SocketClosed,
            $"The connection to the vote store was lost under {command} ({exception.GetType().Name}: {exception.Message})",
            exception, CommandStatus.Unknown);

    /// <summary>The counts, then the generation, as <see cref="_keys"/> lists them (a missing key is 0).</summary>
    private static VoteCounts ToCounts(RedisValue[] values) =>
        new([.. values[..^1].Select(ToLong)], ToLong(values[^1]));

    private static long ToLong(RedisValue value) => value.IsNull ? 0 : (long)value;
}
