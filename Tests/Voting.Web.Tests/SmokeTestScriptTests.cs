using System.Net.Http.Json;
using Voting.AppHost;

namespace Voting.Web.Tests;

/// <summary>
/// .github/scripts/smoke-test.sh against the real Web and Api on Kestrel with a real Redis, as the CD workflow runs
/// it against the gateway after a rollout, with the Web configured as in production.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SmokeTestScriptTests(WebFixture fixture) : IAsyncLifetime
{
    private KestrelFactory<Program> _web = null!;

    public ValueTask InitializeAsync()
    {
        // The tally cache on, and held longer than any test: the script must see its own vote through it, as it
        // must behind a gateway with several replicas.
        _web = WebFixture.StartWeb(fixture.Api.BaseAddress,
            new Dictionary<string, string?> { ["TallyCache:MaxAgeMilliseconds"] = "10000" });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _web.DisposeAsync();

    [Fact]
    public async Task Votes_through_the_page_and_the_api_counts_it()
    {
        RequiredTools.Require("bash", "curl");

        using var api = fixture.Api.CreateRawClient();
        var before = await CatsAsync(api);

        var result = await SmokeTestAsync(_web.BaseAddress.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"voted for Cats at {_web.BaseAddress.ToString().TrimEnd('/')}: {before} -> {before + 1}", result.Output, StringComparison.Ordinal);
        Assert.Equal(before + 1, await CatsAsync(api));
    }

    [Fact]
    public async Task Votes_for_the_option_it_is_given()
    {
        RequiredTools.Require("bash", "curl");

        using var api = fixture.Api.CreateRawClient();
        var before = (await api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken))!.CountOf("Dogs");

        var result = await SmokeTestAsync(_web.BaseAddress.ToString(), "Dogs");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before + 1, (await api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken))!.CountOf("Dogs"));
    }

    [Fact]
    public async Task Read_only_checks_the_page_and_its_ballot_and_votes_for_nothing()
    {
        RequiredTools.Require("bash", "curl");

        using var api = fixture.Api.CreateRawClient();
        var before = await api.GetStringAsync("api/votes", TestContext.Current.CancellationToken);

        var result = await Script.RunAsync(Script.Path("smoke-test.sh"), ["--read-only", _web.BaseAddress.ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("read-only: nothing voted", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, await api.GetStringAsync("api/votes", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Read_only_fails_when_the_page_only_says_temporarily_unavailable()
    {
        RequiredTools.Require("bash", "curl");

        await using var web = WebFixture.StartWeb(new Uri($"http://127.0.0.1:{LocalMachine.FreeLoopbackPort()}"));

        var result = await Script.RunAsync(Script.Path("smoke-test.sh"), ["--read-only", web.BaseAddress.ToString()],
            environment: new Dictionary<string, string> { ["SMOKE_TIMEOUT"] = "1" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("did not answer 200 with the results", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_when_the_page_only_says_temporarily_unavailable()
    {
        RequiredTools.Require("bash", "curl");

        // A Web whose Api is gone answers 503: the deployment is not healthy, whatever the rollout said.
        await using var web = WebFixture.StartWeb(new Uri($"http://127.0.0.1:{LocalMachine.FreeLoopbackPort()}"));

        var result = await SmokeTestAsync(web.BaseAddress.ToString(), timeoutSeconds: 1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("did not answer 200 with the results", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_when_nothing_answers()
    {
        RequiredTools.Require("bash", "curl");

        var result = await SmokeTestAsync($"http://127.0.0.1:{LocalMachine.FreeLoopbackPort()}", timeoutSeconds: 1);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("did not answer", result.Error, StringComparison.Ordinal);
    }

    private static Task<ScriptResult> SmokeTestAsync(string baseUrl, string? option = null, int timeoutSeconds = 30) =>
        Script.RunAsync(Script.Path("smoke-test.sh"), option is null ? [baseUrl] : [baseUrl, option],
            environment: new Dictionary<string, string> { ["SMOKE_TIMEOUT"] = $"{timeoutSeconds}" });

    private static async Task<long> CatsAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<TallyDto>("api/votes"))!.CountOf("Cats");
}
