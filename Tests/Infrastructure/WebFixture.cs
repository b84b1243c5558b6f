using Voting.Api.Voting;
using Voting.Web.Services;

namespace Voting.Tests.Infrastructure;

/// <summary>A real Redis, the Api and the Web, each on Kestrel, wired through configuration as the AppHost wires them.</summary>
public sealed class WebFixture : IAsyncLifetime
{
    public TestRedis Redis { get; private set; } = null!;

    public KestrelFactory<Ballot> Api { get; private set; } = null!;

    public KestrelFactory<VotesApiClient> Web { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await TestRedis.StartAsync();
        Api = await ApiFixture.StartApiAsync(Redis.ConnectionString);
        Web = StartWeb(Api.BaseAddress, Redis.ConnectionString);
    }

    /// <summary>Starts a Web that finds the Api at <paramref name="api"/> through service discovery configuration.</summary>
    public static KestrelFactory<VotesApiClient> StartWeb(Uri api, string redisConnectionString) =>
        new KestrelFactory<VotesApiClient>(new Dictionary<string, string?>
        {
            ["services:api:http:0"] = api.ToString().TrimEnd('/'),
            ["ConnectionStrings:redis"] = redisConnectionString,
        }).Start();

    public async Task DisposeAsync()
    {
        await Web.DisposeAsync();
        await Api.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Web, Api and a real Redis";
}
