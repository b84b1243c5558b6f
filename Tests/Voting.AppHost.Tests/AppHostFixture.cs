using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Voting.AppHost.Tests;

/// <summary>
/// The whole app, started once per collection from the real AppHost (starting and stopping costs 15-30 s here).
/// The vote store follows VOTING_TEST_REDIS: the Redis container, the embedded server, or Auto.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(3);

    public DistributedApplication App { get; private set; } = null!;

    public string VoteStoreMode { get; } = Environment.GetEnvironmentVariable(TestRedis.ModeVariable)?.ToLowerInvariant() switch
    {
        "container" => "Container",
        "embedded" => "Embedded",
        _ => "Auto",
    };

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(s_startTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Voting_AppHost>(
            [$"--VoteStore:Mode={VoteStoreMode}"], timeout.Token);
        // The ballot the tests vote on, whatever Api/appsettings.json ships.
        var api = builder.CreateResourceBuilder<ProjectResource>("api");
        foreach (var (key, value) in ServiceSettings.Ballot)
        {
            api.WithEnvironment(key, value);
        }

        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token).WaitAsync(s_startTimeout, timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("web", timeout.Token).WaitAsync(s_startTimeout, timeout.Token);

        // Which vote store the AppHost chose, from the server's own INFO, in the test output.
        var store = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == "redis");
        var connectionString = await App.GetConnectionStringAsync("redis", timeout.Token)
            ?? throw new InvalidOperationException("The AppHost gave the vote store no connection string.");
        TestContext.Current.SendDiagnosticMessage(
            $"{AppHostCollection.Name}: {await TestRedis.ServerVersionAsync(connectionString)}, {store.GetType().Name} (VoteStore:Mode={VoteStoreMode})");
    }

    /// <summary>A client for a resource's http endpoint that keeps no cookies and follows no redirects.</summary>
    public HttpClient CreateRawClient(string resource) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = App.GetEndpoint(resource, "http"),
        };

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "The whole app from the AppHost";
}
