using Microsoft.Extensions.Options;
using Voting.Web.Services;

namespace Voting.Web.Tests;

/// <summary>
/// Which of two answers the cache keeps when they arrive out of order. The tallies are the values the Api answers with,
/// written out, and no read may be made. The clock is the test's own, so which request was sent before which answer
/// arrived is decided here rather than raced.
/// </summary>
public sealed class TallyCacheTests
{
    private readonly ManualClock _clock = new();
    private readonly TallyCache _cache;

    public TallyCacheTests() => _cache = new(
        Options.Create(new TallyCacheOptions { MaxAgeMilliseconds = TallyCacheOptions.MaxAgeLimitMilliseconds }), _clock);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Of_two_votes_in_flight_together_the_higher_counts_are_kept_in_whichever_order_they_arrive(bool higherFirst)
    {
        var higher = Tally(generation: 4, cats: 2);
        var lower = Tally(generation: 4, cats: 1);

        PublishInFlightTogether(higherFirst ? [higher, lower] : [lower, higher]);

        // The visitor whose vote left Cats 2 gets it from the cache, with no read.
        Assert.Same(higher, await _cache.GetAsync(SeenTally.After(higher), NoRead, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Of_a_reset_and_a_vote_in_flight_together_the_later_generation_is_kept_in_whichever_order_they_arrive(bool resetFirst)
    {
        var reset = Tally(generation: 5, cats: 0);
        var vote = Tally(generation: 4, cats: 9);

        PublishInFlightTogether(resetFirst ? [reset, vote] : [vote, reset]);

        Assert.Same(reset, await _cache.GetAsync(SeenTally.After(reset), NoRead, TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// Counts set back without a reset (an older Api replica's reset during an upgrade, a store restored or emptied) are
    /// still shown once read: the cache never holds on to higher counts past the next answer.
    /// </summary>
    [Theory]
    [InlineData(4, 1)]
    [InlineData(0, 1)]
    public async Task An_answer_to_a_request_sent_after_the_cached_answer_arrived_is_kept_whatever_it_says(long generation, long cats)
    {
        _cache.Publish(Tally(generation: 4, cats: 9), _clock.Tick());
        _clock.Tick();
        var later = Tally(generation, cats);

        _cache.Publish(later, _clock.Tick());

        Assert.Same(later, await _cache.GetAsync(seen: null, NoRead, TestContext.Current.CancellationToken));
    }

    /// <summary>Answers to requests all sent before the first answer arrived, arriving in the order given.</summary>
    private void PublishInFlightTogether(Tally[] answers)
    {
        var sent = answers.Select(_ => _clock.Tick()).ToList();
        for (var i = 0; i < answers.Length; i++)
        {
            _clock.Tick();
            _cache.Publish(answers[i], sent[i]);
        }
    }

    private static Tally Tally(long generation, long cats) =>
        new("Azure Voting App", [new("Cats", cats), new("Dogs", 0)], ResetAllowed: true, generation);

    private static Task<Tally> NoRead(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The cache read the counts: it should have answered from what it keeps.");

    /// <summary>A clock that moves only when told, one tick at a time (a tick is far below the cache's age).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _now = 1_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now;

        /// <summary>Moves the clock on by one tick and returns the new time.</summary>
        public long Tick() => ++_now;
    }
}
