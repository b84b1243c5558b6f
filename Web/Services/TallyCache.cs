using Microsoft.Extensions.Options;

namespace Voting.Web.Services;

/// <summary>
/// The counts this replica last read or was answered with, shown for up to <see cref="TallyCacheOptions.MaxAge"/>.
/// When the cached tally will not do, page views share this replica's reads of the Api: one read at a time, each
/// answering every view that waits for it, so however many views arrive (with or without a cookie) the replica makes
/// at most one Api read per read's duration, never one per view.
/// </summary>
public sealed class TallyCache(IOptions<TallyCacheOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Entry? _latest;

    // The read in flight, and the one that follows it, for the views that need a read sent after they arrived.
    private Read? _running;
    private Read? _next;

    /// <summary>
    /// A tally for the page: the cached one when it is fresh enough and covers what the visitor last saw, otherwise one
    /// read through <paramref name="read"/>, shared with the other views waiting then. A read that fails (the Api
    /// unavailable) fails every view waiting on it.
    /// </summary>
    public async Task<Tally> GetAsync(
        SeenTally? seen, Func<CancellationToken, Task<Tally>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var maxAge = options.Value.MaxAge;
        if (maxAge <= TimeSpan.Zero)
        {
            return await read(cancellationToken);
        }

        var latest = Volatile.Read(ref _latest);
        if (latest is not null && time.GetElapsedTime(latest.ReadSince) < maxAge && (seen is null || seen.IsCoveredBy(latest.Tally)))
        {
            return latest.Tally;
        }

        // The read under way may have been sent before this visitor's vote was counted: they wait for the next one.
        return await Join(read, sentAfterArrival: seen is not null).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Keeps <paramref name="tally"/>, answered to a request sent at <paramref name="since"/> (a <see cref="TimeProvider"/>
    /// timestamp), unless what is cached is the later state. A request sent after the cached answer arrived was served
    /// after it; of two requests in flight together, the later state is the one in the higher generation, or in the same
    /// one with no count lower, whichever was sent first (votes on this replica are answered out of order).
    /// </summary>
    public void Publish(Tally tally, long since)
    {
        ArgumentNullException.ThrowIfNull(tally);
        lock (_gate)
        {
            var latest = _latest;
            if (latest is null || latest.Answered < since || tally.Generation > latest.Tally.Generation || tally.Covers(latest.Tally))
            {
                // The later state was current no earlier than either request was sent.
                Volatile.Write(ref _latest, new Entry(tally, Math.Max(since, latest?.ReadSince ?? since), time.GetTimestamp()));
            }
        }
    }

    /// <summary>A timestamp to pass to <see cref="Publish"/>: take it before sending the request.</summary>
    public long Now() => time.GetTimestamp();

    /// <summary>The read in flight, or when none is, a new one; with <paramref name="sentAfterArrival"/>, the next one.</summary>
    private Task<Tally> Join(Func<CancellationToken, Task<Tally>> read, bool sentAfterArrival)
    {
        Read joined;
        lock (_gate)
        {
            if (_running is not null)
            {
                return (sentAfterArrival ? _next ??= new Read(read) : _running).Answer.Task;
            }

            _running = joined = new Read(read);
        }

        _ = RunAsync(joined);
        return joined.Answer.Task;
    }

    /// <summary>Makes <paramref name="read"/>, then the next reads one after another while views wait for them.</summary>
    private async Task RunAsync(Read read)
    {
        for (Read? current = read; current is not null;)
        {
            Tally? tally = null;
            Exception? failure = null;
            try
            {
                var since = time.GetTimestamp();
                // Not a page view's token: other views wait on this read, and one visitor leaving must not fail theirs.
                // The Api client's own timeouts bound it.
                tally = await current.ReadAsync(CancellationToken.None);
                Publish(tally, since);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            Read? next;
            lock (_gate)
            {
                next = _next;
                _next = null;
                _running = next;
            }

            if (failure is null)
            {
                current.Answer.SetResult(tally!);
            }
            else
            {
                current.Answer.SetException(failure);
            }

            current = next;
        }
    }

    private sealed record Entry(Tally Tally, long ReadSince, long Answered);

    private sealed class Read(Func<CancellationToken, Task<Tally>> read)
    {
        public Func<CancellationToken, Task<Tally>> ReadAsync { get; } = read;

        public TaskCompletionSource<Tally> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
