namespace Voting.Api.Model;

/// <summary>
/// The ballot's title, every option with its count in ballot order, whether the counts may be reset (so a client
/// can hide its reset button), and the reset generation the counts belong to.
/// </summary>
/// <param name="Title">The ballot's title.</param>
/// <param name="Options">Every option with its count, in ballot order.</param>
/// <param name="ResetAllowed">Whether the counts may be reset (ALLOW_RESET).</param>
/// <param name="Generation">
/// How many times the counts have been reset. Between two resets counts only grow, so a client that keeps a tally can
/// tell which of two is the later: in the same generation, the one with no lower count; a tally from another
/// generation is from before or after a reset.
/// </param>
public sealed record Tally(string Title, IReadOnlyList<OptionCount> Options, bool ResetAllowed, long Generation);

/// <param name="Name">The option, as it is voted for (<c>POST /api/votes/{option}</c>).</param>
/// <param name="Count">The votes it has.</param>
public sealed record OptionCount(string Name, long Count);
