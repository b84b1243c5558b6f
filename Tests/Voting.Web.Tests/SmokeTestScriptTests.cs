extern alias api;

using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Voting.AppHost;
using Voting.ServiceDefaults;

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

    [Fact]
    public async Task Expect_revision_passes_when_the_web_and_the_api_it_relays_both_run_that_commit()
    {
        RequiredTools.Require("bash", "curl", "jq");
        await using var build = await StartBuildAsync(webRevision: Revision, apiRevision: Revision);
        using var api = build.Api.CreateRawClient();
        var before = await api.GetStringAsync("api/votes", TestContext.Current.CancellationToken);

        var result = await Script.RunAsync(Script.Path("smoke-test.sh"), ["--read-only", "--expect-revision", Revision, build.Web.BaseAddress.ToString()]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"the Web and the Api both run {Revision}", result.Output, StringComparison.Ordinal);
        Assert.Contains("read-only: nothing voted", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, await api.GetStringAsync("api/votes", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Expect_revision_fails_naming_the_builds_found_and_votes_nothing_when_the_api_runs_another_commit()
    {
        RequiredTools.Require("bash", "curl", "jq");
        await using var build = await StartBuildAsync(webRevision: Revision, apiRevision: OtherRevision);
        using var api = build.Api.CreateRawClient();
        var before = await api.GetStringAsync("api/votes", TestContext.Current.CancellationToken);

        var result = await Script.RunAsync(Script.Path("smoke-test.sh"), ["--expect-revision", Revision, build.Web.BaseAddress.ToString()],
            environment: new Dictionary<string, string> { ["SMOKE_TIMEOUT"] = "1" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"expected the Web and the Api to run {Revision}; found web {Revision}, api {OtherRevision}", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await api.GetStringAsync("api/votes", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Expect_revision_fails_naming_the_build_the_web_runs()
    {
        RequiredTools.Require("bash", "curl", "jq");

        // The fixture's Web and Api, as compiled: whatever commit they carry, it is not this one.
        var result = await Script.RunAsync(Script.Path("smoke-test.sh"), ["--read-only", "--expect-revision", OtherRevision, _web.BaseAddress.ToString()],
            environment: new Dictionary<string, string> { ["SMOKE_TIMEOUT"] = "1" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"found web {CompiledRevision.Of(typeof(Program).Assembly)}, api {CompiledRevision.Of(typeof(api::Program).Assembly)}",
            result.Error, StringComparison.Ordinal);
    }

    private const string Revision = "4f8a6c2d0b9e71a35c6d8e2f10ab47c9d3e5f601";
    private const string OtherRevision = "d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0";

    /// <summary>
    /// An Api and a Web that report the given builds: the same programs as compiled, each with the identity its image
    /// build would give it registered in place of the one read from its assembly.
    /// </summary>
    private async Task<RunningBuild> StartBuildAsync(string webRevision, string apiRevision)
    {
        var api = await WebFixture.StartApiAsync(fixture.Redis.ConnectionString,
            configureServices: services => services.AddSingleton(new BuildIdentity("Voting.Api", apiRevision)));
        var web = WebFixture.StartWeb(api.BaseAddress,
            configureServices: services => services.AddSingleton(new BuildIdentity("Voting.Web", webRevision)));
        return new RunningBuild(api, web);
    }

    private sealed record RunningBuild(KestrelFactory<api::Program> Api, KestrelFactory<Program> Web) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Web.DisposeAsync();
            await Api.DisposeAsync();
        }
    }

    private static Task<ScriptResult> SmokeTestAsync(string baseUrl, string? option = null, int timeoutSeconds = 30) =>
        Script.RunAsync(Script.Path("smoke-test.sh"), option is null ? [baseUrl] : [baseUrl, option],
            environment: new Dictionary<string, string> { ["SMOKE_TIMEOUT"] = $"{timeoutSeconds}" });

    private static async Task<long> CatsAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<TallyDto>("api/votes"))!.CountOf("Cats");
}
