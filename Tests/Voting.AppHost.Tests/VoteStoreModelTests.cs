using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Voting.AppHost.VoteStore;

namespace Voting.AppHost.Tests;

/// <summary>The AppHost's model, built but not started: which vote store each setting gives, and how it is wired.</summary>
public sealed class VoteStoreModelTests
{
    [Theory]
    [InlineData("Embedded", typeof(EmbeddedRedisResource))]
    [InlineData("embedded", typeof(EmbeddedRedisResource))]
    [InlineData("Container", typeof(RedisResource))]
    public async Task The_mode_setting_chooses_the_vote_store(string mode, Type expected)
    {
        var redis = await BuildRedisAsync($"--VoteStore:Mode={mode}");

        Assert.IsType(expected, redis);
    }

    [Fact]
    public async Task Auto_falls_back_to_the_embedded_server_when_no_container_engine_answers()
    {
        var redis = await BuildRedisAsync("--VoteStore:Mode=Auto", "--DOTNET_ASPIRE_CONTAINER_RUNTIME=no-such-container-runtime");

        Assert.IsType<EmbeddedRedisResource>(redis);
    }

    [Fact]
    public async Task The_container_uses_the_pinned_redis_image_tag()
    {
        var redis = await BuildRedisAsync("--VoteStore:Mode=Container");

        var image = Assert.Single(redis.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal("library/redis", image.Image);
        // The tag the Kubernetes manifests also run (WorkloadPolicyTests checks them): one Redis version everywhere.
        Assert.Equal(RedisImage.Tag, image.Tag);
    }

    [Fact]
    public async Task RedisServer_mode_runs_redis_server_from_PATH()
    {
        RequiredTools.Require("redis-server");

        var redis = await BuildRedisAsync("--VoteStore:Mode=RedisServer");

        var executable = Assert.IsType<RedisServerResource>(redis);
        Assert.Equal("redis-server", executable.Command);
    }

    [Fact]
    public async Task An_unknown_mode_fails_fast_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BuildRedisAsync("--VoteStore:Mode=Cloud"));

        Assert.Contains("VoteStore:Mode is 'Cloud'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auto, Container, Embedded, RedisServer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_waits_for_redis_and_the_web_waits_for_the_api_and_is_external()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Voting_AppHost>(["--VoteStore:Mode=Embedded"], TestContext.Current.CancellationToken);

        var api = builder.Resources.Single(r => r.Name == "api");
        var web = builder.Resources.Single(r => r.Name == "web");

        Assert.Contains(api.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "redis");
        Assert.Contains(web.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "api");
        Assert.Contains(web.Annotations.OfType<EndpointAnnotation>(), e => e.IsExternal);
        Assert.DoesNotContain(api.Annotations.OfType<EndpointAnnotation>(), e => e.IsExternal);
    }

    private static async Task<IResource> BuildRedisAsync(params string[] args)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Voting_AppHost>(args);
        return builder.Resources.Single(r => r.Name == "redis");
    }
}
