using Microsoft.Extensions.Options;

namespace Voting.Web.Services;

/// <summary>
/// The counts this replica last read or was answered with, shown for up to <see cref="TallyCacheOptions.MaxAge"/>.
/// When the cached tally is too old, the page views that need it share one Api call rather than each making one.
/// </summary>
public sealed class TallyCache(IOptions<TallyCacheOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Entry? _latest;
    private Task<Entry>? _refresh;

    /// <summary>
    /// A tally for the page: the cached one when it is fresh enough and covers what the visitor last saw, otherwise one
    /// read through <paramref name="read"/>. A read that fails (the Api unavailable) fails every page view waiting on it.
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

        if (seen is not null)
        {
            // A read already under way may have started before this visitor's vote was counted: read again.
            var since = time.GetTimestamp();
            var tally = await read(cancellationToken);
            Publish(tally, since);
            return tally;
        }

        return (await SharedRefresh(read).WaitAsync(cancellationToken)).Tally;
    }

    /// <summary>
    /// Keeps <paramref name="tally"/>, read or answered no earlier than <paramref name="since"/> (a <see cref="TimeProvider"/>
    /// timestamp), unless what is cached was read later.
    /// </summary>
    public void Publish(Tally tally, long since)
    {
        ArgumentNullException.ThrowIfNull(tally);
        lock (_gate)
        {
            if (_latest is null || _latest.ReadSince <= since)
            {
                Volatile.Write(ref _latest, new Entry(tally, since));
            }
        }
    }

    /// <summary>A timestamp to pass to <see cref="Publish"/>: take it before sending the request.</summary>
    public long Now() => time.GetTimestamp();

    private Task<Entry> SharedRefresh(Func<CancellationToken, Task<Tally>> read)
    {
        TaskCompletionSource<Entry> refresh;
        lock (_gate)
        {
            if (_refresh is { } running)
            {
                return running;
            }

            refresh = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _refresh = refresh.Task;
        }

        _ = RefreshAsync(refresh, read);
        return refresh.Task;
    }

    private async Task RefreshAsync(TaskCompletionSource<Entry> refresh, Func<CancellationToken, Task<Tally>> read)
    {
        try
        {
            var since = time.GetTimestamp();
            // Not the page view's token: other views wait on this read, and one visitor leaving must not fail theirs.
            // The Api client's own timeouts bound it.
            var tally = await read(CancellationToken.None);
            Publish(tally, since);
            EndRefresh();
            refresh.SetResult(new Entry(tally, since));
        }
        catch (Exception exception)
        {
            EndRefresh();
            refresh.SetException(exception);
        }
    }

    private void EndRefresh()
    {
        lock (_gate)
        {
            _refresh = null;
        }
    }

    private sealed record Entry(Tally Tally, long ReadSince);
}
