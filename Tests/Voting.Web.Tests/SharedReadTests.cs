using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Web.Services;

namespace Voting.Web.Tests;

/// <summary>
/// A replica's page views share its reads of the Api, so a crowd of views, or of cookies the cache does not cover, costs
/// one Api read at a time. Shown deterministically on a replica's cache and its Api client, against the real Api and
/// Redis: each read is held once the Api has answered it, until the test lets it go, so the test decides what arrives
/// while a read is under way, and counts the reads.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SharedReadTests(WebFixture fixture) : IAsyncLifetime
{
    private const int Views = 100;

    private readonly HttpClient _api = fixture.Api.CreateRawClient();

    // The cache kept for 10 s (the longest allowed): a cached tally cannot go stale by itself while a test looks at it.
    private readonly TallyCache _cache = new(
        Options.Create(new TallyCacheOptions { MaxAgeMilliseconds = TallyCacheOptions.MaxAgeLimitMilliseconds }), TimeProvider.System);

    private readonly HeldReads _reads = new(fixture.Api.BaseAddress);

    public async ValueTask InitializeAsync() => (await _api.DeleteAsync("api/votes", TestContext.Current.CancellationToken)).Dispose();

    public ValueTask DisposeAsync()
    {
        _reads.Dispose();
        _api.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Views_whose_cookie_the_cache_does_not_cover_share_one_read_sent_after_they_arrived()
    {
        var warm = _cache.GetAsync(seen: null, _reads.ReadAsync, TestContext.Current.CancellationToken);
        await _reads.ReleaseAsync(1);
        await warm;
        var first = await VoteAsync("Cats");
        var firstView = _cache.GetAsync(SeenTally.After(first), _reads.ReadAsync, TestContext.Current.CancellationToken);
        // Read 2 has its answer from the Api, without the vote cast next.
        await _reads.HeldAsync(2);
        var second = await VoteAsync("Cats");

        var views = Enumerable.Range(0, Views)
            .Select(_ => _cache.GetAsync(SeenTally.After(second), _reads.ReadAsync, TestContext.Current.CancellationToken))
            .ToList();

        // A hundred views arrived during read 2: none made a read of its own.
        Assert.Equal(2, _reads.Count);
        await _reads.ReleaseAsync(2);
        Assert.True((await firstView).Covers(first));
        // One read for all of them, sent after they arrived: read 2, sent before the second vote, would not show it.
        await _reads.ReleaseAsync(3);
        Assert.All(await Task.WhenAll(views), shown => Assert.True(shown.Covers(second), $"{Results(shown)} misses the visitor's vote ({Results(second)})."));
        Assert.Equal(3, _reads.Count);
    }

    [Fact]
    public async Task Views_without_a_cookie_share_the_read_under_way()
    {
        var firstView = _cache.GetAsync(seen: null, _reads.ReadAsync, TestContext.Current.CancellationToken);
        await _reads.HeldAsync(1);

        var views = Enumerable.Range(0, Views)
            .Select(_ => _cache.GetAsync(seen: null, _reads.ReadAsync, TestContext.Current.CancellationToken))
            .ToList();

        Assert.Equal(1, _reads.Count);
        await _reads.ReleaseAsync(1);
        var read = await firstView;
        Assert.All(await Task.WhenAll(views), shown => Assert.Same(read, shown));
        Assert.Equal(1, _reads.Count);
    }

    private async Task<Tally> VoteAsync(string option)
    {
        using var response = await _api.PostAsync($"api/votes/{option}", null, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Tally>(TestContext.Current.CancellationToken))!;
    }

    private static string Results(Tally tally) =>
        $"generation {tally.Generation}: {string.Join(" | ", tally.Options.Select(o => $"{o.Name} - {o.Count}"))}";

    /// <summary>
    /// The replica's real Api client, counting its reads and holding each one, once the Api has answered it, until
    /// <see cref="ReleaseAsync"/>.
    /// </summary>
    private sealed class HeldReads(Uri api) : IDisposable
    {
        private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(30);

        private readonly HttpClient _http = new() { BaseAddress = api };
        private readonly SemaphoreSlim _held = new(0);
        private readonly SemaphoreSlim _released = new(0);
        private int _count;
        private int _heldSoFar;

        /// <summary>Reads started so far (counted as each starts, before its request is sent).</summary>
        public int Count => Volatile.Read(ref _count);

        public async Task<Tally> ReadAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            var tally = await new VotesApiClient(_http).GetTallyAsync(cancellationToken);
            _held.Release();
            await _released.WaitAsync(cancellationToken);
            return tally;
        }

        /// <summary>Returns once read <paramref name="number"/> has its answer and is held.</summary>
        public async Task HeldAsync(int number)
        {
            while (_heldSoFar < number)
            {
                Assert.True(await _held.WaitAsync(s_hang, TestContext.Current.CancellationToken), $"Read {_heldSoFar + 1} never got its answer.");
                _heldSoFar++;
            }
        }

        /// <summary>Lets read <paramref name="number"/> (held, or once it is) go on to the views waiting for it.</summary>
        public async Task ReleaseAsync(int number)
        {
            await HeldAsync(number);
            _released.Release();
        }

        public void Dispose()
        {
            _http.Dispose();
            _held.Dispose();
            _released.Dispose();
        }
    }
}
