using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Voting.AppHost;
using Voting.ServiceDefaults;

namespace Voting.Web.Tests;

/// <summary>
/// The Web's GET /version over real HTTP, against a real Api: the Web's own build and the Api's, relayed, behind the
/// one URL that is exposed.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class VersionRelayTests(WebFixture fixture)
{
    [Fact]
    public async Task Shows_the_web_build_and_relays_the_build_of_the_api_it_calls()
    {
        // An Api that reports a build of its own, so only a real call to it can give the Web this answer.
        var apiBuild = new BuildIdentity("Voting.Api", "0123456789abcdef0123456789abcdef01234567");
        await using var api = await WebFixture.StartApiAsync(fixture.Redis.ConnectionString,
            configureServices: services => services.AddSingleton(apiBuild));
        await using var web = WebFixture.StartWeb(api.BaseAddress);
        using var client = web.CreateRawClient();

        using var response = await client.GetAsync("version", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("Voting.Web", (string?)body["service"]);
        Assert.Equal(CompiledRevision.Of(typeof(Program).Assembly), (string?)body["revision"]);
        Assert.Equal(apiBuild.Service, (string?)body["api"]?["service"]);
        Assert.Equal(apiBuild.Revision, (string?)body["api"]?["revision"]);
    }

    [Fact]
    public async Task Still_answers_with_its_own_build_and_no_api_when_the_api_is_down()
    {
        await using var web = WebFixture.StartWeb(new Uri($"http://127.0.0.1:{LocalMachine.FreeLoopbackPort()}"));
        using var client = web.CreateRawClient();

        using var response = await client.GetAsync("version", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal(CompiledRevision.Of(typeof(Program).Assembly), (string?)body["revision"]);
        Assert.True(body.AsObject().TryGetPropertyValue("api", out var relayed) && relayed is null, body.ToJsonString());
    }

    [Fact]
    public async Task Is_a_read_like_the_page_with_the_page_security_headers_and_no_write_limit()
    {
        // One write allowed per window: a /version counted as a write would be refused on the second request.
        await using var web = WebFixture.StartWeb(fixture.Api.BaseAddress,
            new Dictionary<string, string?> { ["RateLimiting:PermitLimit"] = "1", ["RateLimiting:WindowSeconds"] = "3600" });
        using var client = web.CreateRawClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("version", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            SecurityHeaders.AssertOnPlainHttp(response, ContentSecurityPolicies.Page);
        }
    }
}
