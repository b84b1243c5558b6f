using Voting.Api.Voting;
using Voting.Web.Services;
using Xunit.Abstractions;

namespace Voting.Tests.Infrastructure;

/// <summary>A real Redis, the Api and the Web, each on Kestrel, wired through configuration as the AppHost wires them.</summary>
/// <param name="diagnostics">Where the fixture says which Redis it runs (xunit passes it to collection fixtures).</param>
public sealed class WebFixture(IMessageSink? diagnostics = null) : IAsyncLifetime
{
    public TestRedis Redis { get; private set; } = null!;

    public KestrelFactory<Ballot> Api { get; private set; } = null!;

    public KestrelFactory<VotesApiClient> Web { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await TestRedis.StartAsync();
        diagnostics?.OnMessage(new Xunit.Sdk.DiagnosticMessage($"{WebCollection.Name}: {Redis.Description}"));
        Api = await ApiFixture.StartApiAsync(Redis.ConnectionString);
        Web = StartWeb(Api.BaseAddress, Redis.ConnectionString);
    }

    /// <summary>Starts a Web that finds the Api at <paramref name="api"/> through service discovery configuration.</summary>
    public static KestrelFactory<VotesApiClient> StartWeb(
        Uri api, string redisConnectionString, IDictionary<string, string?>? settings = null, string environment = "Production")
    {
        var all = new Dictionary<string, string?>(ApiFixture.NoThrottling)
        {
            ["services:api:http:0"] = api.ToString().TrimEnd('/'),
            ["ConnectionStrings:redis"] = redisConnectionString,
            // Most tests change the counts behind the Web's back (through the Api) and expect the next page to show
            // them: no tally cache unless a test asks for one (Tests/Web/ReadYourWritesTests.cs).
            ["TallyCache:MaxAgeMilliseconds"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new KestrelFactory<VotesApiClient>(all, environment).Start();
    }

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
