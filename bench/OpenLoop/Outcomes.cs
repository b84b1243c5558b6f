using System.Diagnostics;

namespace OpenLoop;

/// <summary>
/// What became of each measured request: its latency once answered, or that it timed out (any other failure is what is
/// left: RunReport derives it). Written by the answers' continuations on the thread pool, one slot per request, so
/// recording needs no lock and allocates nothing.
/// </summary>
internal sealed class Outcomes(int count)
{
    private const long NotAnswered = -1;
    private readonly long[] _latencyTicks = NewSlots(count);
    private int _non2xx;
    private int _timeouts;

    public int Count => _latencyTicks.Length;

    public int Non2xx => Volatile.Read(ref _non2xx);

    public int Timeouts => Volatile.Read(ref _timeouts);

    public void Answered(int index, long latencyTicks, bool success)
    {
        Volatile.Write(ref _latencyTicks[index], latencyTicks);
        if (!success)
        {
            Interlocked.Increment(ref _non2xx);
        }
    }

    public void TimedOut() => Interlocked.Increment(ref _timeouts);

    /// <summary>The latencies of the answered requests (any status), in microseconds, sorted.</summary>
    public long[] SortedLatencyMicroseconds()
    {
        var answered = _latencyTicks.Where(t => t != NotAnswered)
            .Select(t => t * 1_000_000 / Stopwatch.Frequency)
            .ToArray();
        Array.Sort(answered);
        return answered;
    }

    private static long[] NewSlots(int count)
    {
        var slots = new long[count];
        Array.Fill(slots, NotAnswered);
        return slots;
    }
}
