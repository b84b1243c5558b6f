using System.Diagnostics;
using System.Text.Json;

namespace OpenLoop;

/// <summary>The figures of one run, written as one JSON line for scripts (bench/run.sh reads it).</summary>
internal sealed record RunReport(
    LoadOptions Options,
    int Sent,
    int Completed,
    int Non2xx,
    int Timeouts,
    int Exceptions,
    long[] SortedLatencyMicroseconds,
    long SenderLateP99Microseconds,
    long SenderLateMaxMicroseconds,
    GcSnapshot Gc,
    bool NoGcRegion)
{
    /// <summary>Non-2xx answers, timeouts, and every other request that got no answer.</summary>
    public int Errors => Non2xx + Timeouts + Exceptions;

    public static RunReport From(LoadOptions options, Outcomes outcomes, long[] lateTicks, GcSnapshot gc, bool noGcRegion)
    {
        var latencies = outcomes.SortedLatencyMicroseconds();
        var late = lateTicks.Select(t => t * 1_000_000 / Stopwatch.Frequency).Order().ToArray();
        // Whatever was neither answered nor timed out failed, whichever exception it was.
        var failed = outcomes.Count - latencies.Length - outcomes.Timeouts;
        return new RunReport(options, outcomes.Count, latencies.Length, outcomes.Non2xx, outcomes.Timeouts, failed,
            latencies, Percentiles.Of(late, 99), late.Length > 0 ? late[^1] : 0, gc, noGcRegion);
    }

    public void WriteJson(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteString("url", Options.Url.ToString());
        json.WriteString("method", Options.Method.Method);
        json.WriteNumber("rate", Options.Rate);
        json.WriteNumber("duration_s", Options.DurationSeconds);
        json.WriteNumber("warmup_s", Options.WarmupSeconds);
        json.WriteNumber("connections", Options.Connections);
        json.WriteNumber("sent", Sent);
        json.WriteNumber("completed", Completed);
        json.WriteNumber("errors", Errors);
        json.WriteNumber("non2xx", Non2xx);
        json.WriteNumber("timeouts", Timeouts);
        json.WriteNumber("exceptions", Exceptions);
        json.WriteNumber("achieved_rate", Math.Round(Completed / Options.DurationSeconds, 1));
        json.WriteNumber("p50_us", Percentiles.Of(SortedLatencyMicroseconds, 50));
        json.WriteNumber("p90_us", Percentiles.Of(SortedLatencyMicroseconds, 90));
        json.WriteNumber("p99_us", Percentiles.Of(SortedLatencyMicroseconds, 99));
        json.WriteNumber("p999_us", Percentiles.Of(SortedLatencyMicroseconds, 99.9));
        json.WriteNumber("max_us", SortedLatencyMicroseconds.Length > 0 ? SortedLatencyMicroseconds[^1] : 0);
        json.WriteNumber("sender_late_p99_us", SenderLateP99Microseconds);
        json.WriteNumber("sender_late_max_us", SenderLateMaxMicroseconds);
        // Whether the measured window started inside a region with no collection (NoGcWindow.cs); the counts below
        // say whether it held.
        json.WriteBoolean("gc_no_gc_region", NoGcRegion);
        json.WriteNumber("gc_gen0", Gc.Gen0);
        json.WriteNumber("gc_gen1", Gc.Gen1);
        json.WriteNumber("gc_gen2", Gc.Gen2);
        json.WriteNumber("gc_pause_total_us", (long)Gc.Pause.TotalMicroseconds);
        json.WriteEndObject();
    }
}
