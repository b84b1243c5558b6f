using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OpenLoop;

/// <summary>
/// Waits until a <see cref="Stopwatch"/> timestamp with microsecond precision without holding a core: the thread
/// sleeps until shortly before the time, then yields until it. <see cref="Thread.Sleep(int)"/> only knows whole
/// milliseconds, and at 2,000 requests a second they are due every 500 µs, so on Linux the sleep is the C library's
/// nanosleep, with the thread's timer slack (50 µs by default, by which the kernel may delay a wake-up to batch it
/// with others) cut to 1 µs.
/// </summary>
internal static partial class PreciseSleep
{
    private const int PrSetTimerSlack = 29;

    /// <summary>Cuts the calling thread's timer slack; a no-op where there is none to cut.</summary>
    public static void UseFineTimerSlack()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);
        }
    }

    /// <summary>Returns at <paramref name="due"/> or soon after; spins (yielding the core) only for the last <paramref name="spinTicks"/>.</summary>
    public static void Until(long due, long spinTicks)
    {
        var sleepTicks = due - spinTicks - Stopwatch.GetTimestamp();
        if (sleepTicks > 0)
        {
            Sleep(TimeSpan.FromSeconds((double)sleepTicks / Stopwatch.Frequency));
        }

        // Yielding rather than busy-waiting: on a machine with few cores the server under test may need this one.
        while (Stopwatch.GetTimestamp() < due)
        {
            Thread.Yield();
        }
    }

    private static void Sleep(TimeSpan time)
    {
        if (OperatingSystem.IsLinux())
        {
            var ticks = time.Ticks;
            var request = new Timespec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 };
            // An interrupted sleep just returns early: the yield loop after it covers the rest.
            _ = Nanosleep(in request, IntPtr.Zero);
        }
        else
        {
            Thread.Sleep(time);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int Nanosleep(in Timespec request, IntPtr remaining);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
