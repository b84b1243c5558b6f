namespace Voting.Testing;

/// <summary>The Api's JSON, as a client reads it.</summary>
public sealed record TallyDto(string Title, List<OptionCountDto> Options, bool ResetAllowed, long Generation)
{
    public long CountOf(string option) => Options.Single(o => o.Name == option).Count;
}

public sealed record OptionCountDto(string Name, long Count);

/// <summary>
/// An RFC 9457 problem details body; <see cref="Outcome"/> is the Api's <c>"outcome": "unknown"</c> on a vote or a reset
/// that may have taken effect.
/// </summary>
public sealed record ProblemDto(string? Type, string? Title, int Status, string? Detail, string? Outcome = null);
