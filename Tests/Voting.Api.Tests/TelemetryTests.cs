using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Voting.Api.Voting;

namespace Voting.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(ApiFixture fixture)
{
    private static readonly TimeSpan s_spanWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Each_counted_vote_adds_one_to_the_votes_counter_tagged_by_option()
    {
        // Options no other test uses, so measurements from Apis running in parallel cannot be mistaken for ours.
        var option = $"Otter{Guid.NewGuid():N}"[..20];
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
            new Dictionary<string, string?> { ["VOTE1VALUE"] = option, ["VOTE2VALUE"] = "Other" + option });
        using var client = api.CreateRawClient();
        var counted = new ConcurrentBag<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument is { Meter.Name: VotingMetrics.MeterName, Name: VotingMetrics.VotesCounterName })
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: VotingMetrics.OptionTag } && Equals(tag.Value, option))
                {
                    counted.Add(value);
                }
            }
        });
        listener.Start();

        await client.PostAsync($"api/votes/{option}", null, TestContext.Current.CancellationToken);
        await client.PostAsync($"api/votes/{option}", null, TestContext.Current.CancellationToken);
        await client.PostAsync("api/votes/NotOnTheBallot", null, TestContext.Current.CancellationToken);

        Assert.Equal(2, counted.Sum());
    }

    [Fact]
    public async Task A_vote_is_traced_down_to_the_redis_call()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        // The listener hears every span in this process, other collections' too: the vote is sent inside a trace of
        // this test's own (HttpClient passes it on as W3C traceparent, the Api continues it), and only that trace counts.
        using var source = new ActivitySource(nameof(TelemetryTests));
        ActivityTraceId trace;
        using (var test = source.StartActivity(nameof(A_vote_is_traced_down_to_the_redis_call)))
        {
            trace = test!.TraceId;
            using var response = await fixture.Client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }

        // The Redis instrumentation reports calls in batches (every second here): spans arrive after the response.
        var request = await Eventually.WithinAsync(s_spanWait, () => Task.FromResult(activities.FirstOrDefault(a =>
            a.TraceId == trace && a.Kind == ActivityKind.Server && a.DisplayName.Contains("api/votes/{option}", StringComparison.Ordinal))));
        var redisCall = await Eventually.WithinAsync(s_spanWait, () => Task.FromResult(activities.FirstOrDefault(a =>
            a.TraceId == trace && a.GetTagItem("db.system") is "redis")));

        Assert.NotNull(request);
        Assert.NotNull(redisCall);
    }
}
