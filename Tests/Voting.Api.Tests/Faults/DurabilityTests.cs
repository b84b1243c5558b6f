using System.Net.Http.Json;

namespace Voting.Api.Tests.Faults;

/// <summary>
/// The durability promise for a Redis process that dies (kill -9, an out-of-memory kill, a crash) while votes flow: no
/// acknowledged vote is lost. Redis appends each vote to its append-only file before it answers, and what a killed
/// process wrote is still the kernel's to keep. Run as the StatefulSet runs it: <c>appendfsync everysec</c>, Redis'
/// default, which only a lost node or disk can tell from <c>always</c> (the last second not yet on the disk).
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class DurabilityTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("voting-test-durability-");

    [Fact]
    public async Task Redis_killed_while_votes_flow_loses_no_acknowledged_vote_and_counts_none_that_was_not_cast()
    {
        RequiredTools.Require("redis-server");
        string[] arguments = ["--appendonly", "yes", "--dir", _data.FullName];
        var redis = await RedisServerProcess.StartAsync(arguments);
        try
        {
            await using var api = await ApiFixture.StartApiAsync(redis.ConnectionString);
            await using var load = VoteLoad.Start(16, api.BaseAddress);
            await load.FlowsAsync(1000);

            await redis.KillAsync();
            var answers = await load.StopAsync();
            redis = await RedisServerProcess.StartOnPortAsync(redis.Port, arguments);

            // The Api reconnects by itself; the limit only tells a hang from a recovery.
            using var client = api.CreateRawClient();
            var tally = await Eventually.WithinAsync(TimeSpan.FromSeconds(60), async () =>
            {
                using var response = await client.GetAsync("api/votes");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<TallyDto>() : null;
            });
            Assert.NotNull(tally);
            // Votes sent while Redis was gone were refused and told to retry, never half-answered or answered 500.
            Assert.All(answers.Failures, failure => Assert.StartsWith("503 ", failure, StringComparison.Ordinal));
            foreach (var option in VoteLoad.Options)
            {
                // Counted: every acknowledged vote, plus at most those answered "may or may not have counted" (Redis wrote
                // them, then died before it answered). Nothing beyond: no vote counted that nobody cast.
                Assert.InRange(tally.CountOf(option), answers.AcknowledgedFor(option),
                    answers.AcknowledgedFor(option) + answers.OutcomeUnknownFor(option));
            }

            TestContext.Current.SendDiagnosticMessage(string.Join("; ", VoteLoad.Options.Select(option =>
                $"{option}: {answers.AcknowledgedFor(option)} acknowledged, {answers.OutcomeUnknownFor(option)} outcome unknown, {tally.CountOf(option)} counted")));
        }
        finally
        {
            await redis.KillAsync();
        }
    }

    public void Dispose() => _data.Delete(recursive: true);
}
