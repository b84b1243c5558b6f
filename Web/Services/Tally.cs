namespace Voting.Web.Services;

/// <summary>
/// The Api's answer: the ballot's title, every option with its count in ballot order, whether reset is allowed, and the
/// reset generation the counts belong to (0 from an Api that does not say).
/// </summary>
public sealed record Tally(string Title, IReadOnlyList<OptionCount> Options, bool ResetAllowed, long Generation)
{
    /// <summary>
    /// Whether this tally shows at least what <paramref name="earlier"/> shows, and so was read no earlier: the same
    /// generation (no reset between the two) and no count lower, since between resets counts only grow. Across a reset
    /// the counts say nothing about which came first.
    /// </summary>
    public bool Covers(Tally earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (Generation != earlier.Generation || Options.Count != earlier.Options.Count)
        {
            return false;
        }

        for (var i = 0; i < Options.Count; i++)
        {
            if (Options[i].Count < earlier.Options[i].Count)
            {
                return false;
            }
        }

        return true;
    }
}

public sealed record OptionCount(string Name, long Count);
