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
    /// The readiness command, run as the kubelet runs it (its argv, with the container's variables) against a real
    /// Redis: ready when PING answers PONG with the current password (the Key Vault file) or the one Redis started with;
    /// ready still after two rotations without a restart, when Redis accepts only the current one; not ready while the
    /// data set loads (PING answers LOADING, and redis-cli still exits 0), nor when neither password is Redis'. In the
    /// pod redis-cli reaches localhost:6379 and the file is in the Key Vault mount; here a wrapper on PATH points redis-cli
    /// at the test's Redis, and a file of the test stands in for the mount's.
    /// </summary>
    [Fact]
    public async Task Readiness_needs_PONG_with_the_current_or_the_start_password()
    {
        RequiredTools.Require("redis-server", "redis-cli");
        var command = Container.ReadinessProbe.Exec.Command;
        Assert.Null(Container.ReadinessProbe.TcpSocket);
        // Liveness stays a TCP check: loading a large AOF is slow but not a reason to restart.
        Assert.NotNull(Container.LivenessProbe.TcpSocket);
        // The start password from the Secret the server's --requirepass $(REDIS_PASSWORD) reads; the current one from the
        // Key Vault file of the same secret. Neither is in the spec.
        var secret = Container.Env.Single(e => e.Name == "REDIS_PASSWORD").ValueFrom.SecretKeyRef.Name;
        Assert.Equal(KeyVaultFile(Redis.Spec.Template, secret), Container.Env.Single(e => e.Name == "REDIS_PASSWORD_FILE").Value);

        var directory = Directory.CreateTempSubdirectory("redis-readiness-").FullName;
        var file = Path.Combine(directory, "redis-password");
        try
        {
            await using (var running = await RedisServerProcess.StartAsync("--dir", directory, "--requirepass", "start", "--enable-debug-command", "local"))
            {
                await File.WriteAllTextAsync(file, "start", TestContext.Current.CancellationToken);
                Assert.True(await ProbeAsync(command, running.Port, "start", file), "a Redis that answers PONG must be ready");
                File.Delete(file);
                Assert.True(await ProbeAsync(command, running.Port, "start", file), "without the file, the start password must do");

                // Two rotations without a restart, as the Api applies them: Redis accepts only the current password.
                await RunAsync(["ACL", "SETUSER", "default", "resetpass", ">second"], running.Port, "start");
                await RunAsync(["ACL", "SETUSER", "default", "resetpass", ">third"], running.Port, "second");
                await File.WriteAllTextAsync(file, "third", TestContext.Current.CancellationToken);
                Assert.NotEqual("PONG", (await RunAsync(["ping"], running.Port, "start")).Output.Trim());
                Assert.True(await ProbeAsync(command, running.Port, "start", file), "after two rotations the current password must do");
                await File.WriteAllTextAsync(file, "second", TestContext.Current.CancellationToken);
                Assert.False(await ProbeAsync(command, running.Port, "start", file), "passwords Redis no longer accepts must not look ready");

                // A data set that takes seconds to load back: a millisecond per key.
                await RunAsync(["ACL", "SETUSER", "default", "resetpass", ">start"], running.Port, "third");
                await RunAsync(["DEBUG", "POPULATE", "20000"], running.Port, "start");
                await RunAsync(["SAVE"], running.Port, "start");
            }

            await using var loading = await RedisServerProcess.StartAsync(
                "--dir", directory, "--requirepass", "start", "--key-load-delay", "1000", "--loading-process-events-interval-bytes", "1024");
            var ping = await RunAsync(["ping"], loading.Port, "start");
            Assert.True(ping.ExitCode == 0 && ping.Output.StartsWith("LOADING", StringComparison.Ordinal), $"expected a loading Redis: {ping}");
            Assert.False(await ProbeAsync(command, loading.Port, "start", file), "a loading Redis must not be ready");
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

    /// <summary>The readiness command with the container's variables: the start password, and where the current one is.</summary>
    private async Task<bool> ProbeAsync(IList<string> command, int port, string startPassword, string passwordFile)
    {
        var environment = Environment(port);
        environment["REDIS_PASSWORD"] = startPassword;
        environment["REDIS_PASSWORD_FILE"] = passwordFile;
        return (await Script.RunAsync(command[0], command.Skip(1), environment: environment)).ExitCode == 0;
    }

    private Task<ScriptResult> RunAsync(string[] command, int port, string password)
    {
        var environment = Environment(port);
        environment["REDISCLI_AUTH"] = password;
        return Script.RunAsync("redis-cli", ["-p", $"{port}", .. command], environment: environment);
    }

    /// <summary>Where a pod reads Key Vault secret <paramref name="secret"/>: the CSI volume's mount, one file per synced object.</summary>
    internal static string KeyVaultFile(V1PodTemplateSpec pod, string secret)
    {
        var volume = pod.Spec.Volumes.Single(v => v.Csi?.Driver == "secrets-store.csi.k8s.io");
        return $"{pod.Spec.Containers.Single().VolumeMounts.Single(m => m.Name == volume.Name).MountPath}/{secret}";
    }

    /// <summary>PATH with a redis-cli that talks to <paramref name="port"/>, as the pod's talks to its own Redis.</summary>
    private Dictionary<string, string> Environment(int port)
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

        return new Dictionary<string, string> { ["PATH"] = $"{wrapper}:{System.Environment.GetEnvironmentVariable("PATH")}" };
    }

    private string Argument(string name) => Container.Args[Container.Args.IndexOf(name) + 1];
}
