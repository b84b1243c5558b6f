using DotNet.Testcontainers.Builders;
using StackExchange.Redis;
using Testcontainers.Redis;
using Voting.AppHost;
using Voting.AppHost.VoteStore;

namespace Voting.Testing;

/// <summary>
/// A real Redis for the tests: a Redis container (Testcontainers) where a Docker engine answers, otherwise the
/// embedded Redis-compatible server the AppHost falls back to, so <c>dotnet test</c> passes with only the .NET SDK.
/// </summary>
/// <remarks>
/// VOTING_TEST_REDIS forces a mode: <c>container</c> (fail if Docker is missing), <c>embedded</c>, or <c>auto</c>.
/// VOTING_TEST_REDIS_IMAGE overrides the image (CI uses one it builds locally); by default it is the AppHost's tag.
/// </remarks>
public sealed class TestRedis : IAsyncDisposable
{
    public const string ModeVariable = "VOTING_TEST_REDIS";
    public const string ImageVariable = "VOTING_TEST_REDIS_IMAGE";
    public const string DefaultImage = RedisImage.FullName;

    private readonly RedisContainer? _container;
    private readonly string? _appendOnlyDirectory;
    private EmbeddedRedisServer? _embedded;

    private TestRedis(RedisContainer container)
    {
        _container = container;
    }

    private TestRedis(EmbeddedRedisServer embedded, string? appendOnlyDirectory)
    {
        _embedded = embedded;
        _appendOnlyDirectory = appendOnlyDirectory;
    }

    /// <summary>Which server actually runs, from its own INFO (e.g. "Redis 7.0.15, container voting-ci/redis:7.0-debian").</summary>
    public string Description { get; private set; } = "not started";

    public string ConnectionString =>
        _container?.GetConnectionString() ?? _embedded?.ConnectionString ?? throw new InvalidOperationException("Not started.");

    /// <summary>
    /// Starts a Redis and says which one in the test output (diagnostic messages, on in xunit.runner.json), naming the
    /// test collection or class it was started for.
    /// </summary>
    /// <param name="appendOnly">Log every write to disk, so the counts survive a restart (Redis' --appendonly yes).</param>
    public static async Task<TestRedis> StartAsync(bool appendOnly = false)
    {
        var redis = await StartServerAsync(appendOnly);
        var context = TestContext.Current;
        var startedFor = context.TestClass?.TestClassName ?? context.TestCollection?.TestCollectionDisplayName ?? "a test";
        context.SendDiagnosticMessage($"{startedFor}: {redis.Description}");
        return redis;
    }

    private static async Task<TestRedis> StartServerAsync(bool appendOnly)
    {
        var mode = Environment.GetEnvironmentVariable(ModeVariable)?.Trim().ToLowerInvariant() ?? "auto";
        if (mode == "embedded")
        {
            return await StartEmbeddedAsync(appendOnly);
        }

        var image = Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } custom ? custom : DefaultImage;
        try
        {
            // A fixed host port, so a container stopped and started again (fault tests) is found at the same address.
            return await LocalMachine.StartOnFreeLoopbackPortAsync(port => StartContainerAsync(image, port, appendOnly), IsPortTaken);
        }
        catch (DockerUnavailableException) when (mode == "auto")
        {
            return await StartEmbeddedAsync(appendOnly);
        }
    }

    private static async Task<TestRedis> StartContainerAsync(string image, int port, bool appendOnly)
    {
        var builder = new RedisBuilder(image).WithPortBinding(port, RedisBuilder.RedisPort);
        if (appendOnly)
        {
            builder = builder.WithCommand("redis-server", "--appendonly", "yes");
        }

        // Build() already asks the Docker endpoint, and throws DockerUnavailableException when none answers.
        var container = builder.Build();
        try
        {
            // Docker binds the port as the container starts, and fails saying so if another process has taken it.
            await container.StartAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var redis = new TestRedis(container);
            redis.Description = $"{await ServerVersionAsync(redis.ConnectionString)}, container {image}";
            return redis;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    private static bool IsPortTaken(Exception exception) =>
        exception.ToString() is var text
        && (text.Contains("port is already allocated", StringComparison.Ordinal) || text.Contains("address already in use", StringComparison.Ordinal));

    private static async Task<TestRedis> StartEmbeddedAsync(bool appendOnly)
    {
        var directory = appendOnly ? Directory.CreateTempSubdirectory("voting-test-aof-").FullName : null;
        var server = await EmbeddedRedisServer.StartAsync(directory);
        WarmUp(server.ConnectionString);
        var redis = new TestRedis(server, directory);
        redis.Description = $"{await ServerVersionAsync(server.ConnectionString)}, embedded in the test process";
        return redis;
    }

    /// <summary>"Garnet 2.2.8" or "Redis 7.0.15": what the server says it is (Garnet answers INFO with both versions).</summary>
    public static async Task<string> ServerVersionAsync(string connectionString)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var info = ((string?)await redis.GetDatabase().ExecuteAsync("INFO", "server") ?? "")
            .Split('\n', StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2)
            .ToList();
        string? Field(string key) => info.FirstOrDefault(pair => pair[0] == key)?[1];
        return Field("garnet_version") is { } garnet ? $"Garnet {garnet}" : $"Redis {Field("redis_version") ?? "(version not reported)"}";
    }

    /// <summary>
    /// Garnet runs in the test process, so its Lua runner and the Api's scripts are compiled on first use. Running the
    /// Api's own scripts here keeps the Api's first vote or reset, when CPU is scarce, from running into its 1 s Redis
    /// timeout.
    /// </summary>
    private static void WarmUp(string connectionString)
    {
        using var redis = ConnectionMultiplexer.Connect(connectionString);
        var database = redis.GetDatabase();
        database.ScriptEvaluate(Voting.Api.Voting.CastVoteScript.Text, ["warm-up", "warm-up"]);
        database.ScriptEvaluate(Voting.Api.Voting.ResetScript.Text, ["warm-up", "warm-up-generation"]);
        database.KeyDelete(["warm-up", "warm-up-generation"]);
    }

    /// <summary>Stops the server, as an outage would; <see cref="RestartAsync"/> brings it back at the same address.</summary>
    public async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.StopAsync();
        }
        else
        {
            _embedded?.Dispose();
        }
    }

    public async Task RestartAsync()
    {
        if (_container is not null)
        {
            await _container.StartAsync();
        }
        else if (_embedded is not null)
        {
            _embedded = EmbeddedRedisServer.StartOnPort(_embedded.Port, _appendOnlyDirectory);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        _embedded?.Dispose();
        if (_appendOnlyDirectory is not null)
        {
            Directory.Delete(_appendOnlyDirectory, recursive: true);
        }
    }
}
