namespace Voting.Api.Voting;

/// <summary>
/// The vote as one server-side script: INCR the option's key (KEYS[1]), then MGET every count of the ballot and the
/// reset generation (KEYS[2..]), so the answer says which generation the vote was counted in.
/// </summary>
/// <remarks>
/// StackExchange.Redis loads it once per server (SCRIPT LOAD) and from then on sends only its SHA (EVALSHA); should the
/// server have lost it (a restart, SCRIPT FLUSH), the client loads it again by itself. Redis and Garnet, the embedded
/// store, both run it (Garnet keeps Redis' global <c>unpack</c>).
/// </remarks>
internal static class CastVoteScript
{
    public const string Text = """
        redis.call('INCR', KEYS[1])
        return redis.call('MGET', unpack(KEYS, 2))
        """;
}
