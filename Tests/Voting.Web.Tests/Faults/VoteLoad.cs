using System.Net;

namespace Voting.Web.Tests.Faults;

/// <summary>Eight clients voting back to back until stopped, keeping every request's status and duration, in order.</summary>
public sealed class VoteLoad : IAsyncDisposable
{
    private readonly List<Outcome> _outcomes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _clients;
    private TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpStatusCode? _awaited;

    public VoteLoad(Uri api) => _clients = RunAsync(api);

    public sealed record Outcome(HttpStatusCode Status, TimeSpan Elapsed);

    /// <summary>Returns once the load has had an answer with <paramref name="status"/> (after this call): an event, not a sleep.</summary>
    public async Task AnsweredAsync(HttpStatusCode status)
    {
        lock (_outcomes)
        {
            _awaited = status;
            _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        await _answered.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    public async Task<List<Outcome>> StopAsync()
    {
        await _stop.CancelAsync();
        await _clients;
        lock (_outcomes)
        {
            return [.. _outcomes];
        }
    }

    /// <summary>Stops the clients too where a test failed before <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _clients;
        }
        catch (HttpRequestException)
        {
            // The test already failed; what the clients saw no longer matters.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(Uri api)
    {
        using var client = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var started = TimeProvider.System.GetTimestamp();
                using var response = await client.PostAsync("api/votes/Cats", null, CancellationToken.None);
                var outcome = new Outcome(response.StatusCode, TimeProvider.System.GetElapsedTime(started));
                lock (_outcomes)
                {
                    _outcomes.Add(outcome);
                    if (outcome.Status == _awaited)
                    {
                        _awaited = null;
                        _answered.TrySetResult();
                    }
                }
            }
        })));
    }
}
