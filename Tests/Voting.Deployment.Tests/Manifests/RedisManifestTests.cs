using k8s.Models;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>Redis run as its operators would: bounded memory that never evicts a vote, honest readiness, a governing Service.</summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class RedisManifestTests(RenderedManifestsFixture fixture)
{
    private V1StatefulSet Redis => fixture.Objects("base").OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis");

    private V1Container Container => Redis.Spec.Template.Spec.Containers.Single();

    [Fact]
    public void Arguments_keep_the_images_entrypoint()
    {
        Assert.Null(Container.Command);
        Assert.Equal("redis-server", Container.Args[0]);
    }

    /// <summary>
    /// An append-only rewrite forks; the child's copy-on-write pages count against the same limit, up to the data set
    /// again. maxmemory must leave that room, or the pod is OOM-killed at every rewrite.
    /// </summary>
    [Fact]
    public void Memory_is_bounded_below_half_the_limit_and_full_means_refuse_writes_not_evict_votes()
    {
        var maxmemory = Argument("--maxmemory");
        Assert.EndsWith("mb", maxmemory, StringComparison.Ordinal);
        var bytes = decimal.Parse(maxmemory[..^2], System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024;
        var limit = Container.Resources.Limits["memory"].ToDecimal();

        Assert.True(bytes * 2 < limit, $"maxmemory {maxmemory} leaves no room for a rewrite's fork under the {Container.Resources.Limits["memory"]} limit");
        Assert.Equal("noeviction", Argument("--maxmemory-policy"));
    }

    /// <summary>
    /// While the data set loads, PING answers LOADING and redis-cli still exits 0: only comparing the answer with PONG
    /// keeps a loading Redis out of the Service.
    /// </summary>
    [Fact]
    public void Readiness_fails_until_PING_answers_PONG_and_the_password_comes_from_the_secret()
    {
        var probe = Container.ReadinessProbe;
        Assert.Null(probe.TcpSocket);
        Assert.Equal(["sh", "-c", "[ \"$(redis-cli ping)\" = PONG ]"], probe.Exec.Command);

        var auth = Container.Env.Single(e => e.Name == "REDISCLI_AUTH");
        Assert.Null(auth.Value);
        Assert.Equal("redis-password", auth.ValueFrom.SecretKeyRef.Name);
        // Liveness stays a TCP check: loading a large AOF is slow but not a reason to restart.
        Assert.NotNull(Container.LivenessProbe.TcpSocket);
    }

    [Fact]
    public void The_stateful_set_is_governed_by_a_headless_service_and_clients_keep_the_cluster_ip_one()
    {
        var services = fixture.Objects("base").OfType<V1Service>().ToList();
        var headless = services.Single(s => s.Metadata.Name == Redis.Spec.ServiceName);
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.Equal(Redis.Spec.Selector.MatchLabels, headless.Spec.Selector);

        var clients = services.Single(s => s.Metadata.Name == "redis");
        Assert.Null(clients.Spec.ClusterIP);
        Assert.Equal("ClusterIP", clients.Spec.Type);
    }

    /// <summary>The bootstrap records Redis' digest in the overlays as CD does for the app images; regenerating keeps it.</summary>
    [Fact]
    public async Task Regenerating_keeps_the_redis_digest_the_bootstrap_set()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");

        const string Imported = "myacr.azurecr.io/redis@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
        var copy = Directory.CreateTempSubdirectory("gitops-manifests-redis-").FullName;
        try
        {
            fixture.Manifests.WriteTo(copy);
            var overlay = Path.Combine(copy, "overlays", "prod");

            var edit = await Script.RunAsync(Script.Path("set-image-tags.sh"), [overlay, $"redis={Imported}"]);
            Assert.True(edit.ExitCode == 0, edit.ToString());
            var edited = await File.ReadAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), TestContext.Current.CancellationToken);

            var regenerated = await fixture.RenderOverAsync(copy);

            Assert.Contains("digest: sha256:fedcba98", edited, StringComparison.Ordinal);
            Assert.Equal(edited, regenerated.Files["overlays/prod/kustomization.yaml"]);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private string Argument(string name) => Container.Args[Container.Args.IndexOf(name) + 1];
}
