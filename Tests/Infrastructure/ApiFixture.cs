using StackExchange.Redis;
using Voting.Api.Voting;
using Xunit.Abstractions;

namespace Voting.Tests.Infrastructure;

/// <summary>One real Redis and one Api on Kestrel, shared by the tests of a collection.</summary>
/// <param name="diagnostics">Where the fixture says which Redis it runs (xunit passes it to collection fixtures).</param>
public sealed class ApiFixture(IMessageSink? diagnostics = null) : IAsyncLifetime
{
    public TestRedis Redis { get; private set; } = null!;

    public KestrelFactory<Ballot> Api { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>A separate connection to the same Redis, to check what the Api wrote.</summary>
    public IConnectionMultiplexer RedisClient { get; private set; } = null!;

    /// <summary>
    /// The tests send bursts of thousands of votes from one address (127.0.0.1) to a Production-configured service;
    /// the rate-limit tests set their own, low limits.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> NoThrottling { get; } = new Dictionary<string, string?>
    {
        ["RateLimiting:PermitLimit"] = "1000000",
        ["RateLimiting:WindowSeconds"] = "1",
    };

    public async Task InitializeAsync()
    {
        Redis = await TestRedis.StartAsync();
        diagnostics?.OnMessage(new Xunit.Sdk.DiagnosticMessage($"{ApiCollection.Name}: {Redis.Description}"));
        Api = await StartApiAsync(Redis.ConnectionString);
        Client = Api.CreateRawClient();
        RedisClient = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
    }

    /// <summary>
    /// Starts another Api on the same Redis, with extra settings, and returns once it is ready (`/health` answers 200,
    /// so its Redis connection is up), as Kubernetes would before sending it traffic: under load the connection can
    /// take longer than a test takes to send its first request, which the Api then rightly answers 503.
    /// </summary>
    public static async Task<KestrelFactory<Ballot>> StartApiAsync(
        string redisConnectionString, IDictionary<string, string?>? settings = null, string environment = "Production",
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null)
    {
        var all = new Dictionary<string, string?>(NoThrottling) { ["ConnectionStrings:redis"] = redisConnectionString };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var api = Start(all, environment, configureServices);
        using var client = api.CreateRawClient();
        var ready = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), async () =>
        {
            using var health = await client.GetAsync("health");
            return health.IsSuccessStatusCode;
        });
        if (!ready)
        {
            await api.DisposeAsync();
            throw new TimeoutException($"The Api on {api.BaseAddress} was not ready (/health) within 30 s.");
        }

        return api;
    }

    private static KestrelFactory<Ballot> Start(
        Dictionary<string, string?> settings, string environment, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices)
    {
        // WebApplicationFactory races a Program that stops at start-up (invalid settings): it may read the host's services
        // after the stopping Program disposed them, and throw ObjectDisposedException instead of the real failure. Seen
        // under CPU load. Another start fails the same way, almost always with the real exception.
        for (var attempt = 1; ; attempt++)
        {
            var api = new KestrelFactory<Ballot>(settings, environment, configureServices);
            try
            {
                return api.Start();
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
                api.Dispose();
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("cannot be modified after the server has started", StringComparison.Ordinal))
            {
                // The same factory, racing a normal start: it sets the server's addresses after Kestrel has started
                // (seen once in a clean-clone CI run, in a test that starts its own Api). Not understood yet; another
                // start does not race.
                api.Dispose();
            }
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await RedisClient.DisposeAsync();
        await Api.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "Api against a real Redis";
}
