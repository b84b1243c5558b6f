using System.Runtime;

namespace OpenLoop;

/// <summary>
/// Keeps the garbage collector out of the measured window when the memory for it is affordable: every pause of the
/// generator would land in the latencies it reports (a request due during a pause is sent late). The budget comes
/// from what the warm-up requests allocated, so the window's own requests cannot run out of it; when the runtime
/// refuses that much, collections simply happen as usual and are reported.
/// </summary>
internal static class NoGcWindow
{
    // Twice what the warm-up suggests, for answers that take longer (more requests alive at once) and connection setup.
    private const double Headroom = 2;
    private const long MaxBudgetBytes = 1L << 30;

    /// <summary>Starts a region with no collection large enough for <paramref name="requestsAhead"/> more requests.</summary>
    public static bool TryStart(long bytesPerRequest, long requestsAhead)
    {
        var budget = (long)Math.Min(MaxBudgetBytes, Math.Max(1 << 20, bytesPerRequest * requestsAhead * Headroom));
        try
        {
            return GC.TryStartNoGCRegion(budget);
        }
        catch (ArgumentOutOfRangeException) // more than the runtime allows without a collection
        {
            return false;
        }
    }

    /// <summary>Ends the region if it is still on (allocating past its budget ends it with a collection).</summary>
    public static void End()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            GC.EndNoGCRegion();
        }
    }
}
