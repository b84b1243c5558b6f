using System.Net.Http.Json;
using StackExchange.Redis;

namespace Voting.Api.Tests.Faults;

/// <summary>
/// A backup of the vote store is a snapshot of Redis' disk taken while Redis runs: a crash-consistent copy of its data
/// directory, as if the power had gone at that instant. It holds the append-only file: the base written by the last
/// rewrite, the votes appended since, and the manifest naming both. Restored as the deployment guide says (a disk made
/// from the snapshot, Redis started on it with its usual arguments), it brings back every vote acknowledged before it.
/// </summary>
/// <remarks>
/// The copy here is taken file by file while Redis appends, so it reads what Redis had handed the kernel; a disk snapshot
/// holds what had reached the disk, which with appendfsync everysec may lack the last second before it. Like a snapshot,
/// it may end part-way through the last vote written: the second test cuts one to show Redis still starts.
/// </remarks>
[Collection(FaultsCollection.Name)]
public sealed class BackupRestoreTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("voting-test-backup-");

    private string Live => Path.Combine(_directory.FullName, "live");

    private string Backup => Path.Combine(_directory.FullName, "backup");

    [Fact]
    public async Task A_copy_of_the_data_directory_taken_while_votes_flow_restores_every_vote_acknowledged_before_it()
    {
        RequiredTools.Require("redis-server");
        await using var redis = await RedisServerProcess.StartAsync(Arguments(Live));
        await using var api = await ApiFixture.StartApiAsync(redis.ConnectionString);
        await using var load = VoteLoad.Start(8, api.BaseAddress);
        await load.FlowsAsync(300);
        await RewriteAppendOnlyFileAsync(redis);
        await load.FlowsAsync(300);

        var acknowledgedBefore = VoteLoad.Options.ToDictionary(option => option, load.AcknowledgedFor);
        CopyDirectory(Live, Backup);
        await load.FlowsAsync(300);
        var answers = await load.StopAsync();
        Assert.Empty(answers.Failures);

        var restored = await RestoreAsync(Backup);
        foreach (var option in VoteLoad.Options)
        {
            Assert.InRange(restored.CountOf(option), acknowledgedBefore[option], answers.AcknowledgedFor(option));
        }

        Assert.True(restored.Options.Sum(o => o.Count) < answers.Acknowledged.Values.Sum(),
            "The restored store holds the votes cast after the backup: it did not come from the backup.");
    }

    [Fact]
    public async Task A_backup_that_ends_part_way_through_a_vote_restores_every_vote_before_it()
    {
        RequiredTools.Require("redis-server");
        VoteLoadResult answers;
        await using (var redis = await RedisServerProcess.StartAsync(Arguments(Live)))
        await using (var api = await ApiFixture.StartApiAsync(redis.ConnectionString))
        {
            await using var load = VoteLoad.Start(8, api.BaseAddress);
            await load.FlowsAsync(300);
            answers = await load.StopAsync();
            Assert.Empty(answers.Failures);
            CopyDirectory(Live, Backup);
        }

        // The snapshot caught the last vote half-written: its final byte is not in the backup.
        var increments = Directory.GetFiles(Path.Combine(Backup, "appendonlydir"), "*.incr.aof").Single();
        using (var file = File.OpenWrite(increments))
        {
            file.SetLength(file.Length - 1);
        }

        var restored = await RestoreAsync(Backup);
        Assert.Equal(answers.Acknowledged.Values.Sum() - 1, restored.Options.Sum(o => o.Count));
        foreach (var option in VoteLoad.Options)
        {
            Assert.InRange(restored.CountOf(option), answers.AcknowledgedFor(option) - 1, answers.AcknowledgedFor(option));
        }
    }

    /// <summary>As the StatefulSet runs Redis: every write in the append-only file, in <paramref name="directory"/>.</summary>
    private static string[] Arguments(string directory) => ["--appendonly", "yes", "--dir", Directory.CreateDirectory(directory).FullName];

    /// <summary>The restore: Redis started as usual on the restored data, and the counts as the Api reads them.</summary>
    private static async Task<TallyDto> RestoreAsync(string backup)
    {
        await using var redis = await RedisServerProcess.StartAsync(Arguments(backup));
        await using var api = await ApiFixture.StartApiAsync(redis.ConnectionString);
        using var client = api.CreateRawClient();
        return (await client.GetFromJsonAsync<TallyDto>("api/votes", TestContext.Current.CancellationToken))!;
    }

    /// <summary>
    /// Rewrites the append-only file, as Redis does by itself as it grows, and waits for the rewrite to finish: the votes
    /// so far move into a new base file, and those that follow go to a new increments file.
    /// </summary>
    private static async Task RewriteAppendOnlyFileAsync(RedisServerProcess redis)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");
        var server = admin.GetServers().Single();
        await server.ExecuteAsync("BGREWRITEAOF");
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(60), async () =>
        {
            var persistence = (await server.InfoAsync("persistence")).SelectMany(group => group).ToDictionary(pair => pair.Key, pair => pair.Value);
            return persistence["aof_rewrite_in_progress"] == "0" && persistence["aof_rewrite_scheduled"] == "0"
                && persistence["aof_last_bgrewrite_status"] == "ok" && persistence["aof_rewrites"] == "1";
        }), "The append-only file was not rewritten.");
    }

    /// <summary>Copies every file, one after the other, while Redis keeps writing.</summary>
    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
