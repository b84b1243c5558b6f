namespace Voting.Api.Model;

/// <summary>
/// The ballot's title, every option with its count in ballot order, and whether the counts may be reset (so a client
/// can hide its reset button).
/// </summary>
public sealed record Tally(string Title, IReadOnlyList<OptionCount> Options, bool ResetAllowed);

public sealed record OptionCount(string Name, long Count);
