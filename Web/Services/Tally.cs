namespace Voting.Web.Services;

/// <summary>The Api's answer: the ballot's title, every option with its count in ballot order, and whether reset is allowed.</summary>
public sealed record Tally(string Title, IReadOnlyList<OptionCount> Options, bool ResetAllowed);

public sealed record OptionCount(string Name, long Count);
