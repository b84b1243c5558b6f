using StackExchange.Redis;

namespace Voting.Api.Tests;

/// <summary>One real Redis and one Api on Kestrel, shared by the tests of a collection.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public TestRedis Redis { get; private set; } = null!;

    public KestrelFactory<Program> Api { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>A separate connection to the same Redis, to check what the Api wrote.</summary>
    public IConnectionMultiplexer RedisClient { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Redis = await TestRedis.StartAsync();
        Api = await StartApiAsync(Redis.ConnectionString);
        Client = Api.CreateRawClient();
        RedisClient = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
    }

    /// <summary>Starts another Api on the same Redis, with extra settings, and returns once it is ready (/health).</summary>
    public static Task<KestrelFactory<Program>> StartApiAsync(
        string redisConnectionString, IDictionary<string, string?>? settings = null, string environment = "Production",
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null) =>
        new KestrelFactory<Program>(ServiceSettings.With(redisConnectionString, settings), environment, configureServices).StartReadyAsync();

    public async ValueTask DisposeAsync()
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
    public const string Name = "Api against Redis";
}
