using k8s.Models;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>Redis run as its operators would: bounded memory that never evicts a vote, honest readiness, a governing Service.</summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class RedisManifestTests(RenderedManifestsFixture fixture) : IDisposable
{
    /// <summary>The redis-cli wrappers of this test class's Redis servers, one folder per port.</summary>
    private readonly string _tools = Directory.CreateTempSubdirectory("redis-cli-").FullName;

    public void Dispose() => Directory.Delete(_tools, recursive: true);

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
    /// The readiness command, run as the kubelet runs it (its argv, with the container's REDISCLI_AUTH) against a real
    /// Redis: ready when PING answers PONG; not ready while the data set loads (PING answers LOADING, and redis-cli still
    /// exits 0), nor with a wrong password. In the pod redis-cli reaches localhost:6379; here a wrapper on PATH points it
    /// at the test's Redis port.
    /// </summary>
    [Fact]
    public async Task Readiness_fails_until_PING_answers_PONG_and_the_password_comes_from_the_secret()
    {
        RequiredTools.Require("redis-server", "redis-cli");
        var command = Container.ReadinessProbe.Exec.Command;
        Assert.Null(Container.ReadinessProbe.TcpSocket);
        // The password reaches redis-cli from the Secret the server's --requirepass $(REDIS_PASSWORD) reads, never the spec.
        var auth = Container.Env.Single(e => e.Name == "REDISCLI_AUTH");
        Assert.Null(auth.Value);
        Assert.Equal(Container.Env.Single(e => e.Name == "REDIS_PASSWORD").ValueFrom.SecretKeyRef.Name, auth.ValueFrom.SecretKeyRef.Name);
        // Liveness stays a TCP check: loading a large AOF is slow but not a reason to restart.
        Assert.NotNull(Container.LivenessProbe.TcpSocket);

        var directory = Directory.CreateTempSubdirectory("redis-readiness-").FullName;
        try
        {
            await using (var running = await RedisServerProcess.StartAsync("--dir", directory, "--requirepass", "s3cret", "--enable-debug-command", "local"))
            {
                Assert.True(await ProbeAsync(command, running.Port, "s3cret"), "a Redis that answers PONG must be ready");
                Assert.False(await ProbeAsync(command, running.Port, "wrong"), "a wrong password must not look ready");
                // A data set that takes seconds to load back: a millisecond per key.
                await RunAsync(["DEBUG", "POPULATE", "20000"], running.Port, "s3cret");
                await RunAsync(["SAVE"], running.Port, "s3cret");
            }

            await using var loading = await RedisServerProcess.StartAsync(
                "--dir", directory, "--requirepass", "s3cret", "--key-load-delay", "1000", "--loading-process-events-interval-bytes", "1024");
            var ping = await RunAsync(["ping"], loading.Port, "s3cret");
            Assert.True(ping.ExitCode == 0 && ping.Output.StartsWith("LOADING", StringComparison.Ordinal), $"expected a loading Redis: {ping}");
            Assert.False(await ProbeAsync(command, loading.Port, "s3cret"), "a loading Redis must not be ready");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
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

    /// <summary>
    /// Nodes pull Redis from the registry copy the bootstrap records in <c>Kubernetes:ContainerImages:redis</c>, by
    /// digest, in every environment: what kustomize renders, as Argo CD, Flux and CD do.
    /// </summary>
    [Fact]
    public async Task Every_environment_pulls_redis_from_the_registry_copy_the_setting_names()
    {
        RequiredTools.Require("kubectl");
        const string Imported = "myacr.azurecr.io/redis@sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
        var options = fixture.Options;
        var original = options.ContainerImages.GetValueOrDefault("redis");
        options.ContainerImages["redis"] = Imported;
        var copy = Directory.CreateTempSubdirectory("gitops-manifests-redis-").FullName;
        try
        {
            (await fixture.RenderAsync(options)).WriteTo(copy);
            foreach (var environment in new[] { "dev", "prod" })
            {
                var rendered = await Script.RunCheckedAsync("kubectl", copy, "kustomize", Path.Combine("overlays", environment));
                var redis = RenderedManifestsFixture.Load(rendered).OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis");
                Assert.Equal(Imported, redis.Spec.Template.Spec.Containers.Single().Image);
            }
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
            if (original is null)
            {
                options.ContainerImages.Remove("redis");
            }
            else
            {
                options.ContainerImages["redis"] = original;
            }
        }
    }

    private async Task<bool> ProbeAsync(IList<string> command, int port, string password) =>
        (await Script.RunAsync(command[0], command.Skip(1), environment: Environment(port, password))).ExitCode == 0;

    private Task<ScriptResult> RunAsync(string[] command, int port, string password) =>
        Script.RunAsync("redis-cli", ["-p", $"{port}", .. command], environment: Environment(port, password));

    /// <summary>PATH with a redis-cli that talks to <paramref name="port"/>, as the pod's talks to its own Redis.</summary>
    private Dictionary<string, string> Environment(int port, string password)
    {
        var wrapper = Path.Combine(_tools, $"{port}");
        Directory.CreateDirectory(wrapper);
        var realCli = System.Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, "redis-cli")).First(File.Exists);
        var script = Path.Combine(wrapper, "redis-cli");
        File.WriteAllText(script, $"#!/bin/sh\nexec {realCli} -p {port} \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new Dictionary<string, string>
        {
            ["PATH"] = $"{wrapper}:{System.Environment.GetEnvironmentVariable("PATH")}",
            ["REDISCLI_AUTH"] = password,
        };
    }

    private string Argument(string name) => Container.Args[Container.Args.IndexOf(name) + 1];
}
