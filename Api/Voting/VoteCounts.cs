namespace Voting.Api.Voting;

/// <summary>What the store held at one instant: every count in ballot order, and its reset generation.</summary>
/// <param name="ByOption">The counts, in ballot order.</param>
/// <param name="Generation">How many times the counts have been reset: between two resets counts only grow.</param>
public sealed record VoteCounts(long[] ByOption, long Generation);
