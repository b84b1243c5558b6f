using System.Net;
using System.Text.Json.Nodes;
using Voting.ServiceDefaults;

namespace Voting.Api.Tests;

/// <summary>GET /version over real HTTP: which build answers, so a deployment can be checked against its commit.</summary>
[Collection(ApiCollection.Name)]
public sealed class VersionEndpointTests(ApiFixture fixture)
{
    [Fact]
    public async Task Names_the_api_and_the_commit_it_was_compiled_from_and_is_never_cached()
    {
        using var response = await fixture.Client.GetAsync("version", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("Voting.Api", (string?)body["service"]);
        Assert.Equal(CompiledRevision.Of(typeof(Program).Assembly), (string?)body["revision"]);
        if (CompiledRevision.CheckoutHasGit)
        {
            Assert.Matches("^[0-9a-f]{40}$", (string?)body["revision"]);
        }
    }

    [Fact]
    public async Task Answers_head_like_get_without_a_body()
    {
        using var response = await fixture.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "version"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("1.0.0+3f2c1d0b9e71a35c6d8e2f10ab47c9d3e5f60123", "3f2c1d0b9e71a35c6d8e2f10ab47c9d3e5f60123")]
    [InlineData("1.0.0", BuildIdentity.UnknownRevision)]
    [InlineData("1.0.0+", BuildIdentity.UnknownRevision)]
    [InlineData(null, BuildIdentity.UnknownRevision)]
    public void A_build_without_a_commit_says_unknown_rather_than_failing(string? informationalVersion, string revision) =>
        Assert.Equal(revision, BuildIdentity.RevisionOf(informationalVersion));
}
