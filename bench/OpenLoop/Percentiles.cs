namespace OpenLoop;

/// <summary>Percentiles by the nearest-rank method: always a value that was measured, never an interpolation.</summary>
internal static class Percentiles
{
    /// <summary>
    /// The smallest value with at least <paramref name="percent"/>% of the values at or below it, from values sorted
    /// in ascending order; 0 for no values.
    /// </summary>
    public static long Of(ReadOnlySpan<long> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.IsEmpty)
        {
            return 0;
        }

        // Rank ceil(p/100 * n), 1-based; a tiny tolerance keeps e.g. 99.9% of 1,000 at rank 999 despite rounding.
        var rank = (long)Math.Ceiling((percent / 100 * sorted.Length) - 1e-9);
        return sorted[(int)Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
