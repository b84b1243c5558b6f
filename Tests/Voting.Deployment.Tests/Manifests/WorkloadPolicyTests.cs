using Aspire.Hosting.ApplicationModel;
using k8s.Models;
using Voting.Api.RedisPassword;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// Every workload in base/ is hardened and sized: a workload without limits, probes or the restricted security
/// context fails here, whichever workload of the app model it is.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class WorkloadPolicyTests(RenderedManifestsFixture fixture)
{
    private static readonly string[] ComputeResources = ["cpu", "memory"];

    [Fact]
    public void Every_container_has_requests_and_limits() => Assert.All(fixture.Workloads, workload =>
    {
        foreach (var container in Pod(workload.Name).Spec.Containers)
        {
            foreach (var resource in ComputeResources)
            {
                Assert.True(container.Resources.Requests?.ContainsKey(resource), $"{workload.Name}: no {resource} request");
                Assert.True(container.Resources.Limits?.ContainsKey(resource), $"{workload.Name}: no {resource} limit");
            }
        }
    });

    [Fact]
    public void Every_container_has_startup_readiness_and_liveness_probes() => Assert.All(fixture.Workloads, workload =>
    {
        foreach (var container in Pod(workload.Name).Spec.Containers)
        {
            Assert.True(container.StartupProbe is not null, $"{workload.Name}: no startup probe");
            Assert.True(container.ReadinessProbe is not null, $"{workload.Name}: no readiness probe");
            Assert.True(container.LivenessProbe is not null, $"{workload.Name}: no liveness probe");
        }
    });

    /// <summary>
    /// A terminating pod keeps serving during the preStop sleep (while it leaves the endpoints), then gets SIGTERM;
    /// Faults/GracefulShutdownTests shows the app then stops within 10 s with every accepted request answered.
    /// </summary>
    [Fact]
    public void Every_pod_drains_before_sigterm_and_has_time_to_shut_down() => Assert.All(fixture.Workloads, workload =>
    {
        var pod = Pod(workload.Name);
        var preStop = pod.Spec.Containers.Single().Lifecycle?.PreStop?.Sleep?.Seconds;

        Assert.True(preStop >= 5, $"{workload.Name}: preStop sleep is {preStop?.ToString() ?? "missing"}");
        Assert.True(pod.Spec.TerminationGracePeriodSeconds >= preStop + 10,
            $"{workload.Name}: {pod.Spec.TerminationGracePeriodSeconds} s grace for a {preStop} s preStop and a 10 s shutdown");
    });

    /// <summary>The paths ServiceDefaults maps (ServiceDefaults/Extensions.cs), on the port the project listens on.</summary>
    [Fact]
    public void Projects_are_ready_on_health_and_alive_on_alive() => Assert.All(fixture.Workloads.OfType<ProjectResource>(), project =>
    {
        var container = Pod(project.Name).Spec.Containers.Single();
        Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/alive", container.StartupProbe.HttpGet.Path);
        Assert.Equal(8080, container.Ports.Single().ContainerPort);
    });

    [Fact]
    public void Every_pod_meets_the_restricted_pod_security_standard() => Assert.All(fixture.Workloads, workload =>
    {
        var pod = Pod(workload.Name);
        Assert.False(pod.Spec.AutomountServiceAccountToken);
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext.SeccompProfile.Type);
        Assert.All(pod.Spec.Volumes ?? [], v => Assert.Null(v.HostPath));

        foreach (var container in pod.Spec.Containers)
        {
            var security = container.SecurityContext;
            Assert.True(security.RunAsNonRoot, $"{workload.Name}: runAsNonRoot");
            Assert.NotEqual(0, security.RunAsUser);
            Assert.False(security.AllowPrivilegeEscalation, $"{workload.Name}: allowPrivilegeEscalation");
            Assert.False(security.Privileged ?? false, $"{workload.Name}: privileged");
            Assert.Equal(["ALL"], security.Capabilities.Drop);
            Assert.Null(security.Capabilities.Add);
            Assert.True(security.ReadOnlyRootFilesystem, $"{workload.Name}: readOnlyRootFilesystem");
            Assert.Equal("RuntimeDefault", security.SeccompProfile.Type);
            // A read-only root still needs a scratch /tmp.
            var tmp = container.VolumeMounts.Single(m => m.MountPath == "/tmp");
            Assert.NotNull(pod.Spec.Volumes!.Single(v => v.Name == tmp.Name).EmptyDir);
        }
    });

    /// <summary>
    /// Redis run with the rendered arguments (the password expanded as Kubernetes would) keeps a vote across a restart:
    /// the append-only file, in the directory the claim is mounted on, holds it. The image is the one the model runs.
    /// </summary>
    [Fact]
    public async Task Redis_keeps_votes_on_a_claim_with_append_only_persistence_as_its_own_user()
    {
        RequiredTools.Require("redis-server", "redis-cli");
        var redis = fixture.Objects("base").OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis");
        var container = redis.Spec.Template.Spec.Containers.Single();
        var image = fixture.Workloads.Single(w => w.Name == "redis").Annotations.OfType<ContainerImageAnnotation>().Last();
        Assert.Equal($"{image.Image[(image.Image.LastIndexOf('/') + 1)..]}:{image.Tag}", container.Image);
        var claim = redis.Spec.VolumeClaimTemplates.Single();
        Assert.Equal("/data", container.VolumeMounts.Single(m => m.Name == claim.Metadata.Name).MountPath);
        Assert.Equal(999, container.SecurityContext.RunAsUser);
        Assert.Equal(999, redis.Spec.Template.Spec.SecurityContext.FsGroup);

        Assert.Equal("redis-server", container.Args[0]);
        string[] arguments = [.. container.Args.Skip(1).Select(a => a.Replace("$(REDIS_PASSWORD)", "s3cret", StringComparison.Ordinal))];
        var claimDirectory = Directory.CreateTempSubdirectory("redis-claim-").FullName;
        try
        {
            await using (var first = await RedisServerProcess.StartAsync([.. arguments, "--dir", claimDirectory]))
            {
                Assert.Equal("1", await Cli(first.Port, "INCR", "votes:Cats"));
                // A graceful stop, as the kubelet's SIGTERM would be: Redis writes what the append-only file has not yet.
                await Cli(first.Port, "SHUTDOWN");
            }

            await using var second = await RedisServerProcess.StartAsync([.. arguments, "--dir", claimDirectory]);
            Assert.Equal("1", await Eventually.WithinAsync(TimeSpan.FromSeconds(10), async () =>
                await Cli(second.Port, "GET", "votes:Cats") is var value && !value.StartsWith("LOADING", StringComparison.Ordinal) ? value : null));
        }
        finally
        {
            Directory.Delete(claimDirectory, recursive: true);
        }
    }

    [Fact]
    public void The_redis_password_comes_from_a_secret_and_is_expanded_into_the_connection_string()
    {
        var container = Pod("api").Spec.Containers.Single();
        var names = container.Env.Select(e => e.Name).ToList();

        var password = container.Env.Single(e => e.Name == "REDIS_PASSWORD");
        Assert.Equal("redis-password", password.ValueFrom.SecretKeyRef.Name);
        var connection = container.Env.Single(e => e.Name == "ConnectionStrings__redis");
        Assert.Equal("redis:6379,password=$(REDIS_PASSWORD)", connection.Value);
        // Kubernetes expands $(VAR) only from variables listed earlier.
        Assert.True(names.IndexOf("REDIS_PASSWORD") < names.IndexOf("ConnectionStrings__redis"));
        // Nowhere else (no REDIS_URI): the password is in as few places as the Api needs.
        Assert.Equal(["ConnectionStrings__redis"], container.Env.Where(e => e.Value?.Contains("$(REDIS_PASSWORD)", StringComparison.Ordinal) == true).Select(e => e.Name));
    }

    /// <summary>
    /// A variable keeps the password the pod started with; the Key Vault mount's file is refreshed by the CSI driver
    /// after a rotation, and the Api follows it (RedisPasswordSettings.File) without a restart.
    /// </summary>
    [Fact]
    public void The_Api_follows_a_rotated_redis_password_in_the_Key_Vault_file()
    {
        var pod = Pod("api");
        var container = pod.Spec.Containers.Single();
        var secret = container.Env.Single(e => e.Name == "REDIS_PASSWORD").ValueFrom.SecretKeyRef.Name;
        var setting = $"{RedisPasswordSettings.SectionName}__{nameof(RedisPasswordSettings.File)}";

        Assert.Equal(RedisManifestTests.KeyVaultFile(pod, secret), container.Env.Single(e => e.Name == setting).Value);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("web")]
    public void Configuration_holds_the_AppHost_variables_and_the_telemetry_identity_but_no_secret_and_no_exporter_endpoint(string workload)
    {
        var config = fixture.Objects("base").OfType<V1ConfigMap>().Single(c => c.Metadata.Name == $"{workload}-config");

        Assert.Equal("8080", config.Data["HTTP_PORTS"]);
        // The cluster's collector is the platform's choice; who is reporting is the app's.
        Assert.DoesNotContain(config.Data, pair => pair.Key.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal));
        Assert.Equal(workload, config.Data["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.namespace=voting", config.Data["OTEL_RESOURCE_ATTRIBUTES"]);
        // Trusting X-Forwarded-* from every peer would let any pod forge a client address.
        Assert.DoesNotContain("ASPNETCORE_FORWARDEDHEADERS_ENABLED", config.Data.Keys);
        Assert.DoesNotContain(config.Data, pair => pair.Value.Contains("password", StringComparison.OrdinalIgnoreCase));
        if (workload == "web")
        {
            Assert.Equal("http://api:8080", config.Data["services__api__http__0"]);
        }
        else
        {
            // The Api reaches Redis through its connection string alone.
            Assert.DoesNotContain(config.Data.Keys, key => key.StartsWith("REDIS_", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_web_knows_neither_where_redis_is_nor_its_password()
    {
        var config = fixture.Objects("base").OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "web-config");
        var container = Pod("web").Spec.Containers.Single();

        // It reaches the votes only through the Api: a compromised front end holds no database credential.
        Assert.DoesNotContain(config.Data.Keys, key => key.StartsWith("REDIS_", StringComparison.Ordinal));
        Assert.DoesNotContain(container.Env, e => e.Name.StartsWith("REDIS_", StringComparison.Ordinal) ||
            e.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || e.ValueFrom?.SecretKeyRef?.Name == "redis-password");
    }

    [Theory]
    [InlineData("api")]
    [InlineData("web")]
    public void Project_images_are_named_for_the_overlays_images_entries_with_an_unpullable_placeholder_tag(string workload) =>
        Assert.Equal($"voting/{workload}:0.0.0-unset", Pod(workload).Spec.Containers.Single().Image);

    private static async Task<string> Cli(int port, params string[] command) =>
        (await Script.RunAsync("redis-cli", ["-p", $"{port}", "--no-auth-warning", "-a", "s3cret", .. command])).Output.Trim();

    private V1PodTemplateSpec Pod(string workload)
    {
        var objects = fixture.Objects("base").ToList();
        return objects.OfType<V1Deployment>().SingleOrDefault(d => d.Metadata.Name == workload)?.Spec.Template
            ?? objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == workload).Spec.Template;
    }
}
