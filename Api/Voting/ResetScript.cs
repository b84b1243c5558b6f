namespace Voting.Api.Voting;

/// <summary>
/// The reset as one server-side script: INCR the generation (the last key), then SET every count (the keys before it)
/// to 0, and return the new generation.
/// </summary>
/// <remarks>
/// One script, so no read can see the counts zeroed under the old generation, nor the new generation with the old
/// counts. The generation goes first: should a SET fail (Redis refusing writes), the counts are left under a newer
/// generation, which costs a cache one read; counts that dropped under an unchanged generation would let a cache
/// take an old tally for a newer one.
/// </remarks>
internal static class ResetScript
{
    public const string Text = """
        local generation = redis.call('INCR', KEYS[#KEYS])
        for i = 1, #KEYS - 1 do
            redis.call('SET', KEYS[i], 0)
        end
        return generation
        """;
}
