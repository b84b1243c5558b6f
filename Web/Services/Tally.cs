namespace Voting.Web.Services;

/// <summary>The Api's answer: the ballot's title and every option with its count, in ballot order.</summary>
public sealed record Tally(string Title, IReadOnlyList<OptionCount> Options);

public sealed record OptionCount(string Name, long Count);
