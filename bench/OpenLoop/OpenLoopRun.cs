using System.Diagnostics;
using System.Net;

namespace OpenLoop;

/// <summary>
/// Sends requests on a fixed schedule, request i due at start + i/rate, whatever the answers take (an open loop).
/// One dedicated thread issues each request at its due time and never waits for an answer; each latency runs from
/// the request's due time, not from when it was sent, so neither a slow server nor a late sender can hide a stall
/// (no coordinated omission). Requests that find every connection busy wait for one, as in a real client's pool,
/// and that wait is part of their latency.
/// </summary>
internal sealed class OpenLoopRun(LoadOptions options, HttpClient client)
{
    private const double NoGcLeadSeconds = 0.5;
    private int _inFlight;

    public RunReport Run()
    {
        var ticksPerRequest = Stopwatch.Frequency / options.Rate;
        var warmupCount = (int)Math.Round(options.WarmupSeconds * options.Rate);
        var measuredCount = Math.Max(1, (int)Math.Round(options.DurationSeconds * options.Rate));
        var outcomes = new Outcomes(measuredCount);
        var lateTicks = new long[measuredCount];
        var spinTicks = (long)(options.SpinMicroseconds * Stopwatch.Frequency / 1_000_000);
        // The collection that makes room for the no-GC region pauses the sender, so it happens a little before the
        // measured window, where the pause delays only warm-up requests.
        var noGcAt = Math.Max(0, warmupCount - (int)Math.Ceiling(options.Rate * NoGcLeadSeconds));
        var allocatedAtStart = GC.GetTotalAllocatedBytes();
        var noGc = false;
        GcSnapshot gcAtStart = default;

        var sender = new Thread(() =>
        {
            PreciseSleep.UseFineTimerSlack();
            // A little ahead, so the first request is not already late when the thread gets going.
            var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
            for (var i = 0; i < warmupCount + measuredCount; i++)
            {
                var due = start + (long)Math.Round(i * ticksPerRequest);
                PreciseSleep.Until(due, spinTicks);
                var measured = i - warmupCount;
                if (i == noGcAt && noGcAt > 0)
                {
                    var bytesPerRequest = (GC.GetTotalAllocatedBytes() - allocatedAtStart) / noGcAt;
                    noGc = NoGcWindow.TryStart(bytesPerRequest, warmupCount + measuredCount - i);
                }

                if (measured == 0)
                {
                    gcAtStart = GcSnapshot.Take();
                }

                if (measured >= 0)
                {
                    lateTicks[measured] = Stopwatch.GetTimestamp() - due;
                }

                Interlocked.Increment(ref _inFlight);
                _ = SendAsync(due, measured >= 0 ? outcomes : null, measured);
            }
        })
        { IsBackground = true, Name = "open-loop sender" };

        sender.Start();
        sender.Join();
        // Every request ends by its answer or by the client's timeout; the margin covers thread-pool delays.
        var deadline = Stopwatch.GetTimestamp() + (long)((options.TimeoutSeconds + 5) * Stopwatch.Frequency);
        while (Volatile.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(10);
        }

        var gc = GcSnapshot.Take() - gcAtStart;
        if (noGc)
        {
            NoGcWindow.End();
        }

        return RunReport.From(options, outcomes, lateTicks, gc, noGc);
    }

    private async Task SendAsync(long due, Outcomes? outcomes, int index)
    {
        try
        {
            using var request = NewRequest();
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            var latency = Stopwatch.GetTimestamp() - due;
            outcomes?.Answered(index, latency, response.IsSuccessStatusCode);
        }
        catch (TaskCanceledException) // HttpClient.Timeout elapsed, waiting for a connection included
        {
            outcomes?.TimedOut();
        }
        catch (HttpRequestException)
        {
            // Refused or reset: RunReport counts it with every request that was neither answered nor timed out.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private HttpRequestMessage NewRequest()
    {
        var request = new HttpRequestMessage(options.Method, options.Url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        foreach (var (name, value) in options.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                // A content header (Content-Type...): it needs a body to belong to, empty if there is none.
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }
}
