extern alias api;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Voting.Web.Tests;

/// <summary>A real Redis, the Api on it and the Web on the Api, each on Kestrel, wired through configuration as the AppHost wires them.</summary>
public sealed class WebFixture : IAsyncLifetime
{
    public TestRedis Redis { get; private set; } = null!;

    public KestrelFactory<api::Program> Api { get; private set; } = null!;

    public KestrelFactory<Program> Web { get; private set; } = null!;

    /// <summary>Everything the Api logs, so a test that sees an unexpected answer can say what the Api made of it.</summary>
    public LogCapture ApiLogs { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Redis = await TestRedis.StartAsync();
        Api = await StartApiAsync(Redis.ConnectionString, configureServices: services => services.AddSingleton<ILoggerProvider>(ApiLogs));
        Web = StartWeb(Api.BaseAddress);
    }

    /// <summary>Starts an Api on <paramref name="redisConnectionString"/> and returns once it is ready (/health).</summary>
    public static Task<KestrelFactory<api::Program>> StartApiAsync(
        string redisConnectionString, IDictionary<string, string?>? settings = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureServices = null) =>
        new KestrelFactory<api::Program>(ServiceSettings.With(redisConnectionString, settings), configureServices: configureServices)
            .StartReadyAsync();

    /// <summary>Starts a Web that finds the Api at <paramref name="api"/> through service discovery configuration.</summary>
    /// <remarks>The Web is given no Redis: it reaches the store only through the Api.</remarks>
    public static KestrelFactory<Program> StartWeb(
        Uri api, IDictionary<string, string?>? settings = null, string environment = "Production",
        Action<IServiceCollection>? configureServices = null)
    {
        var all = ServiceSettings.With(redisConnectionString: null, settings);
        all.TryAdd("services:api:http:0", api.ToString().TrimEnd('/'));
        // Most tests change the counts behind the Web's back (through the Api) and expect the next page to show them:
        // no tally cache unless a test asks for one (ReadYourWritesTests).
        all.TryAdd("TallyCache:MaxAgeMilliseconds", "0");
        return new KestrelFactory<Program>(all, environment, configureServices).Start();
    }

    public async ValueTask DisposeAsync()
    {
        await Web.DisposeAsync();
        await Api.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Web, Api and Redis";
}
