using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace Voting.Api.Tests.Faults;

/// <summary>
/// Votes for Cats and Dogs from several clients at once, through the Api over HTTP, until stopped, and keeps every
/// answer: what the Api acknowledged (200), what it said may or may not have counted (503, outcome unknown), and
/// every other failure, so a test can hold what Redis counted against what voters were told.
/// </summary>
internal sealed class VoteLoad : IAsyncDisposable
{
    public static readonly string[] Options = ["Cats", "Dogs"];

    /// <summary>A short pause between one client's votes: votes flow steadily without starving a shared machine's CPU.</summary>
    private static readonly TimeSpan s_pause = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentDictionary<string, long> _acknowledged = new();
    private readonly ConcurrentDictionary<string, long> _outcomeUnknown = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _clients;

    private VoteLoad(IReadOnlyList<Uri> apis, int clients) =>
        _clients = Task.WhenAll(Enumerable.Range(0, clients).Select(i => VoteUntilStoppedAsync(apis[i % apis.Count], i)));

    /// <summary>Starts <paramref name="clients"/> clients, spread over <paramref name="apis"/> (replicas of the Api).</summary>
    public static VoteLoad Start(int clients, params Uri[] apis) => new(apis, clients);

    public long Acknowledged => _acknowledged.Values.Sum();

    /// <summary>The votes for <paramref name="option"/> acknowledged so far.</summary>
    public long AcknowledgedFor(string option) => _acknowledged.GetValueOrDefault(option);

    /// <summary>
    /// Returns once <paramref name="votes"/> more votes are acknowledged, so what a test does next happens while votes
    /// flow, not after a guessed delay. Fails when they do not come: the load has stalled.
    /// </summary>
    public async Task FlowsAsync(long votes = 100)
    {
        var target = Acknowledged + votes;
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(60), () => Task.FromResult(Acknowledged >= target)),
            $"Votes stopped flowing at {Acknowledged} acknowledged; failures: {string.Join(" / ", _failures.Distinct().Take(5))}");
    }

    public async Task<VoteLoadResult> StopAsync()
    {
        await DisposeAsync();
        return new(new Dictionary<string, long>(_acknowledged), new Dictionary<string, long>(_outcomeUnknown), [.. _failures]);
    }

    /// <summary>Stops the clients, each after the answer to its last vote; a test that fails half-way leaves none running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _clients;
        _stop.Dispose();
    }

    private async Task VoteUntilStoppedAsync(Uri api, int client)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        for (var i = client; !_stop.IsCancellationRequested; i++)
        {
            var option = Options[i % Options.Length];
            await VoteAsync(http, option);
            await Task.Delay(s_pause, CancellationToken.None);
        }
    }

    private async Task VoteAsync(HttpClient http, string option)
    {
        try
        {
            // Never cancelled half-way: each vote gets its answer, or the test would not know what it was told.
            using var response = await http.PostAsync($"api/votes/{option}", null, CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                _acknowledged.AddOrUpdate(option, 1, (_, n) => n + 1);
                return;
            }

            var problem = await ReadProblemAsync(response);
            if (problem?.Outcome == "unknown")
            {
                _outcomeUnknown.AddOrUpdate(option, 1, (_, n) => n + 1);
            }

            _failures.Enqueue($"{(int)response.StatusCode} {problem?.Detail}");
        }
        catch (HttpRequestException exception)
        {
            _failures.Enqueue($"{exception.HttpRequestError}: {exception.Message}");
        }
    }

    private static async Task<ProblemDto?> ReadProblemAsync(HttpResponseMessage response)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ProblemDto>(CancellationToken.None);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>What the voters were told, by option: acknowledged (200), or "may or may not have counted" (503, outcome unknown).</summary>
internal sealed record VoteLoadResult(
    IReadOnlyDictionary<string, long> Acknowledged, IReadOnlyDictionary<string, long> OutcomeUnknown, IReadOnlyList<string> Failures)
{
    public long AcknowledgedFor(string option) => Acknowledged.GetValueOrDefault(option);

    public long OutcomeUnknownFor(string option) => OutcomeUnknown.GetValueOrDefault(option);

    /// <summary>Two runs' answers together (e.g. before and after Redis restarted).</summary>
    public VoteLoadResult Plus(VoteLoadResult other) => new(
        VoteLoad.Options.ToDictionary(o => o, o => AcknowledgedFor(o) + other.AcknowledgedFor(o)),
        VoteLoad.Options.ToDictionary(o => o, o => OutcomeUnknownFor(o) + other.OutcomeUnknownFor(o)),
        [.. Failures, .. other.Failures]);
}
