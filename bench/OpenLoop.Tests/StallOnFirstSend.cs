namespace OpenLoop.Tests;

/// <summary>
/// Blocks the thread that sends the first request for a while, before passing it on: the generator's sender thread
/// stalls as it would in a pause of its own process, while the server stays fast.
/// </summary>
internal sealed class StallOnFirstSend(TimeSpan stall) : DelegatingHandler
{
    private int _stalled;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stalled, 1) == 0)
        {
            Thread.Sleep(stall);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
