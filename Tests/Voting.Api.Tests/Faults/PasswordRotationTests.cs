using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Voting.Api.Tests.Faults;

/// <summary>
/// The Redis password is rotated in Key Vault while votes flow, and nothing restarts in step: each Api replica's copy of
/// the password file (the Key Vault mount, which the CSI driver refreshes on its node's own poll) changes at its own
/// moment, a replica started meanwhile has the new password from the start, and Redis restarts later on whichever
/// password its Secret holds by then. No vote fails, and every acknowledged vote is counted.
/// </summary>
/// <remarks>Needs Redis' own redis-server: the embedded server has no ACL users to hold two passwords.</remarks>
[Collection(FaultsCollection.Name)]
public sealed class PasswordRotationTests : IDisposable
{
    private const string OldPassword = "password-before-the-rotation";
    private const string NewPassword = "password-after-the-rotation";

    /// <summary>Tells a hang from a recovery; no test here measures speed.</summary>
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("voting-test-rotation-");

    private string DataDirectory => Directory.CreateDirectory(Path.Combine(_directory.FullName, "data")).FullName;

    [Fact]
    public async Task Rotating_the_password_while_votes_flow_fails_no_vote_and_needs_no_coordinated_restart()
    {
        RequiredTools.Require("redis-server");
        var redis = await RedisServerProcess.StartAsync(RedisArguments(OldPassword));
        try
        {
            var laggingLogs = new LogCapture();
            await using var first = await StartReplicaAsync(redis, "first", OldPassword, OldPassword);
            await using var lagging = await StartReplicaAsync(redis, "lagging", OldPassword, OldPassword, laggingLogs);
            await using var load = VoteLoad.Start(8, first.BaseAddress, lagging.BaseAddress);
            await load.FlowsAsync();

            // Key Vault holds the new password; the first replica's node polls first.
            WritePasswordFile("first", NewPassword);
            Assert.True(await Eventually.TrueWithinAsync(s_limit, () => AcceptsAsync(redis, NewPassword)), "Redis never accepted the new password.");
            await load.FlowsAsync();

            // A replica started now gets the new password from the synced Secret, for its first connection too.
            await using var started = await StartReplicaAsync(redis, "started", NewPassword, NewPassword);
            await using var startedLoad = VoteLoad.Start(4, started.BaseAddress);
            await startedLoad.FlowsAsync();
            Assert.True(await AcceptsAsync(redis, OldPassword), "Redis no longer accepts the password the lagging replica still sends.");

            // The lagging replica's node polls last.
            WritePasswordFile("lagging", NewPassword);
            Assert.True(await Eventually.TrueWithinAsync(s_limit, () => Task.FromResult(
                laggingLogs.Entries.Any(e => e.Message.Contains("new connections use the new one", StringComparison.Ordinal)))));
            await load.FlowsAsync();
            var duringRotation = (await load.StopAsync()).Plus(await startedLoad.StopAsync());
            Assert.Empty(duringRotation.Failures);

            // Redis restarts (the weekly node-image upgrade) on the password its Secret now holds: the old one is gone, and
            // every replica opens its connections again with the new one. Votes in flight when Redis goes would fail
            // whatever the password, so none are sent across the restart itself (the durability tests cover that).
            redis = await RestartAsync(redis, NewPassword);
            foreach (var replica in new[] { first, lagging, started })
            {
                Assert.True(await HealthyAsync(replica), $"{replica.BaseAddress} did not get back into Redis.");
            }

            Assert.False(await AcceptsAsync(redis, OldPassword));
            await using var afterRestart = VoteLoad.Start(6, first.BaseAddress, lagging.BaseAddress, started.BaseAddress);
            await afterRestart.FlowsAsync(300);
            var answers = duringRotation.Plus(await afterRestart.StopAsync());
            Assert.Empty(answers.Failures);

            await AssertCountedAsync(first, answers);
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task When_redis_restarts_on_the_previous_password_the_api_teaches_it_the_new_one_and_votes_flow_again()
    {
        RequiredTools.Require("redis-server");
        var redis = await RedisServerProcess.StartAsync(RedisArguments(OldPassword));
        try
        {
            await using var switched = await StartReplicaAsync(redis, "switched", OldPassword, OldPassword);
            await using var lagging = await StartReplicaAsync(redis, "lagging", OldPassword, OldPassword);
            await using var load = VoteLoad.Start(6, switched.BaseAddress, lagging.BaseAddress);
            await load.FlowsAsync();
            WritePasswordFile("switched", NewPassword);
            Assert.True(await Eventually.TrueWithinAsync(s_limit, () => AcceptsAsync(redis, NewPassword)));
            await load.FlowsAsync();
            var beforeRestart = await load.StopAsync();
            Assert.Empty(beforeRestart.Failures);

            // Redis restarts before its Secret is synced: it knows only the previous password, which the switched replica
            // no longer sends, and which the lagging one still does.
            redis = await RestartAsync(redis, OldPassword);

            Assert.True(await HealthyAsync(switched), "The switched replica did not get back into Redis.");
            Assert.True(await HealthyAsync(lagging), "The lagging replica did not get back into Redis.");
            Assert.True(await AcceptsAsync(redis, NewPassword));
            // Then the Secret is synced, and a replica starts with the new password only.
            await using var started = await StartReplicaAsync(redis, "started", NewPassword, NewPassword);
            await using var afterRestart = VoteLoad.Start(6, switched.BaseAddress, lagging.BaseAddress, started.BaseAddress);
            await afterRestart.FlowsAsync(300);
            var answers = beforeRestart.Plus(await afterRestart.StopAsync());
            Assert.Empty(answers.Failures);

            await AssertCountedAsync(switched, answers);
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    /// <summary>
    /// The other order, which no Api can prevent: Redis restarts on the new password before this replica's copy of the file
    /// changed. The replica cannot get in until its file changes (at most one rotation poll of the CSI driver), then does,
    /// by itself.
    /// </summary>
    [Fact]
    public async Task A_replica_that_redis_restarted_on_the_new_password_locks_out_gets_back_in_when_its_file_changes()
    {
        RequiredTools.Require("redis-server");
        var redis = await RedisServerProcess.StartAsync(RedisArguments(OldPassword));
        try
        {
            await using var api = await StartReplicaAsync(redis, "api", OldPassword, OldPassword);
            using var client = api.CreateRawClient();
            using (var vote = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
            }

            redis = await RestartAsync(redis, NewPassword);
            Assert.True(await Eventually.TrueWithinAsync(s_limit, async () =>
            {
                using var health = await client.GetAsync("health", TestContext.Current.CancellationToken);
                return health.StatusCode == HttpStatusCode.ServiceUnavailable;
            }), "The Api never noticed it was locked out.");

            WritePasswordFile("api", NewPassword);

            Assert.True(await HealthyAsync(api), "The Api did not get back in once its password file changed.");
            using var after = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal(2, (await after.Content.ReadFromJsonAsync<TallyDto>(TestContext.Current.CancellationToken))!.CountOf("Cats"));
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    /// <summary>As the StatefulSet runs Redis: the password from its Secret, every write in the append-only file.</summary>
    private string[] RedisArguments(string password) => ["--requirepass", password, "--appendonly", "yes", "--dir", DataDirectory];

    /// <summary>Kills Redis and starts it again at the same address, on the same data, with <paramref name="password"/>.</summary>
    private async Task<RedisServerProcess> RestartAsync(RedisServerProcess redis, string password)
    {
        await redis.DisposeAsync();
        return await RedisServerProcess.StartOnPortAsync(redis.Port, RedisArguments(password));
    }

    /// <summary>
    /// An Api replica as a pod runs it: the connection string with the password its environment had at start-up, and its
    /// own copy of the password file, checked every second.
    /// </summary>
    private async Task<KestrelFactory<Program>> StartReplicaAsync(
        RedisServerProcess redis, string name, string startPassword, string filePassword, LogCapture? logs = null)
    {
        WritePasswordFile(name, filePassword);
        return await ApiFixture.StartApiAsync($"{redis.ConnectionString},password={startPassword}", new Dictionary<string, string?>
        {
            ["RedisPassword:File"] = PasswordFile(name),
            ["RedisPassword:CheckIntervalSeconds"] = "1",
        }, configureServices: logs is null ? null : services => services.AddSingleton<ILoggerProvider>(logs));
    }

    private string PasswordFile(string replica) => Path.Combine(_directory.FullName, $"{replica}-redis-password");

    /// <summary>Replaces the file in one step, as the CSI driver does (a reader sees the old content or the new, never half).</summary>
    private void WritePasswordFile(string replica, string password)
    {
        var next = PasswordFile(replica) + ".next";
        File.WriteAllText(next, password);
        File.Move(next, PasswordFile(replica), overwrite: true);
    }

    private static async Task<bool> AcceptsAsync(RedisServerProcess redis, string password)
    {
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(
                $"{redis.ConnectionString},password={password},connectRetry=1");
            return true;
        }
        catch (RedisConnectionException exception) when (exception.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            return false;
        }
    }

    private static async Task<bool> HealthyAsync(KestrelFactory<Program> api)
    {
        using var client = api.CreateRawClient();
        return await Eventually.TrueWithinAsync(s_limit, async () =>
        {
            using var health = await client.GetAsync("health", TestContext.Current.CancellationToken);
            return health.IsSuccessStatusCode;
        });
    }

    /// <summary>Every vote acknowledged is counted, and nothing else was (no vote here was answered "outcome unknown").</summary>
    private static async Task AssertCountedAsync(KestrelFactory<Program> api, VoteLoadResult answers)
    {
        using var client = api.CreateRawClient();
        var tally = await client.GetFromJsonAsync<TallyDto>("api/votes", TestContext.Current.CancellationToken);
        foreach (var option in VoteLoad.Options)
        {
            Assert.Equal(answers.AcknowledgedFor(option), tally!.CountOf(option));
        }
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
