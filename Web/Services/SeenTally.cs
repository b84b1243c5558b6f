using System.Globalization;

namespace Voting.Web.Services;

/// <summary>
/// What a visitor's last vote (or reset) left in the store, carried by a cookie to their next page view, so that view
/// shows it even when another replica answers it from a tally cached before the vote (read-your-writes).
/// The cookie only decides whether a cached tally may be shown: a forged value can at worst make that visitor's next
/// page view wait for the replica's next read of the counts, which page views share.
/// </summary>
public sealed class SeenTally
{
    /// <summary>Not <c>__Host-</c>: it protects nothing, and must also work where the page is served over plain HTTP.</summary>
    public const string CookieName = "Voting.Seen";

    private const char GenerationSeparator = '-';
    private const char Separator = '.';
    private const int MaxCookieLength = 200;

    // Only the generation and the counts matter; a tally parsed from the cookie has no names.
    private readonly Tally _seen;

    private SeenTally(Tally seen) => _seen = seen;

    /// <summary>After a vote or a reset: the tally the store answered with, which includes it.</summary>
    public static SeenTally After(Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return new(tally);
    }

    /// <summary>"3-12.7": the generation, then the counts in ballot order.</summary>
    public string CookieValue =>
        _seen.Generation.ToString(CultureInfo.InvariantCulture) + GenerationSeparator
        + string.Join(Separator, _seen.Options.Select(o => o.Count.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Null for a missing or malformed cookie: it then asks for nothing.</summary>
    public static SeenTally? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxCookieLength
            || value.Split(GenerationSeparator) is not [var generationText, var countsText]
            || !TryParseCount(generationText, out var generation))
        {
            return null;
        }

        var parts = countsText.Split(Separator);
        var counts = new OptionCount[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParseCount(parts[i], out var count))
            {
                return null;
            }

            counts[i] = new("", count);
        }

        return new(new Tally("", counts, ResetAllowed: false, generation));
    }

    /// <summary>
    /// Whether <paramref name="tally"/> was read no earlier than what this visitor saw (<see cref="Tally.Covers"/>). A
    /// tally of another generation, from before the visitor's reset or after someone else's, takes a read to know.
    /// </summary>
    public bool IsCoveredBy(Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return tally.Covers(_seen);
    }

    private static bool TryParseCount(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
