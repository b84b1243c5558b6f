using System.Globalization;

namespace Voting.Web.Services;

/// <summary>
/// What a visitor's last vote (or reset) left in the store, carried by a cookie to their next page view, so that view
/// shows it even when another replica answers it from a tally cached before the vote (read-your-writes).
/// The cookie only decides whether a cached tally may be shown: a forged value can at worst make that visitor's next
/// page view read the counts afresh, as every page view did before the cache.
/// </summary>
public sealed class SeenTally
{
    /// <summary>Not <c>__Host-</c>: it protects nothing, and must also work where the page is served over plain HTTP.</summary>
    public const string CookieName = "Voting.Seen";

    private const string ResetValue = "reset";
    private const char Separator = '.';
    private const int MaxCookieLength = 200;

    private readonly long[]? _counts;

    private SeenTally(long[]? counts) => _counts = counts;

    /// <summary>After a vote: the counts the store answered with, the visitor's vote included.</summary>
    public static SeenTally AfterVote(Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return new([.. tally.Options.Select(o => o.Count)]);
    }

    /// <summary>
    /// After a reset: counts only grow between resets, so no count tells a tally read before the reset from one read
    /// after it. The next page view reads the counts afresh.
    /// </summary>
    public static SeenTally AfterReset { get; } = new(null);

    /// <summary>"12.7" (the counts in ballot order) or "reset".</summary>
    public string CookieValue =>
        _counts is null ? ResetValue : string.Join(Separator, _counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Null for a missing or malformed cookie: it then asks for nothing.</summary>
    public static SeenTally? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxCookieLength)
        {
            return null;
        }

        if (value == ResetValue)
        {
            return AfterReset;
        }

        var parts = value.Split(Separator);
        var counts = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i]))
            {
                return null;
            }
        }

        return new(counts);
    }

    /// <summary>
    /// Whether <paramref name="tally"/> was read after what this visitor saw: every count at least as high. A tally
    /// read after someone else's reset may fail this; the page then reads the counts afresh, which is what it shows.
    /// </summary>
    public bool IsCoveredBy(Tally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        if (_counts is null || _counts.Length != tally.Options.Count)
        {
            return false;
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            if (tally.Options[i].Count < _counts[i])
            {
                return false;
            }
        }

        return true;
    }
}
