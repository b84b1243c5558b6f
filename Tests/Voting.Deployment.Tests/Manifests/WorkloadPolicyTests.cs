using k8s.Models;
using Voting.AppHost.VoteStore;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// Every workload in base/ is hardened and sized: a workload without limits, probes or the restricted security
/// context fails here, whichever workload it is.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class WorkloadPolicyTests(RenderedManifestsFixture fixture)
{
    public static TheoryData<string> Workloads => new() { "api", "web", "redis" };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Every_container_has_requests_and_limits(string workload)
    {
        foreach (var container in Pod(workload).Spec.Containers)
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.True(container.Resources.Requests?.ContainsKey(resource), $"{workload}: no {resource} request");
                Assert.True(container.Resources.Limits?.ContainsKey(resource), $"{workload}: no {resource} limit");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Every_container_has_startup_readiness_and_liveness_probes(string workload)
    {
        foreach (var container in Pod(workload).Spec.Containers)
        {
            Assert.NotNull(container.StartupProbe);
            Assert.NotNull(container.ReadinessProbe);
            Assert.NotNull(container.LivenessProbe);
        }
    }

    /// <summary>
    /// A terminating pod keeps serving during the preStop sleep (while it leaves the endpoints), then gets SIGTERM;
    /// Faults/GracefulShutdownTests shows the app then stops within 10 s with every accepted request answered.
    /// </summary>
    [Theory]
    [MemberData(nameof(Workloads))]
    public void Every_pod_drains_before_sigterm_and_has_time_to_shut_down(string workload)
    {
        var pod = Pod(workload);
        var preStop = pod.Spec.Containers.Single().Lifecycle?.PreStop?.Sleep?.Seconds;

        Assert.True(preStop >= 5, $"{workload}: preStop sleep is {preStop?.ToString() ?? "missing"}");
        Assert.True(pod.Spec.TerminationGracePeriodSeconds >= preStop + 10,
            $"{workload}: {pod.Spec.TerminationGracePeriodSeconds} s grace for a {preStop} s preStop and a 10 s shutdown");
    }

    [Theory]
    [InlineData("api")]
    [InlineData("web")]
    public void Projects_are_ready_on_health_and_alive_on_alive(string workload)
    {
        var container = Pod(workload).Spec.Containers.Single();
        Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/alive", container.StartupProbe.HttpGet.Path);
        Assert.Equal(8080, container.Ports.Single().ContainerPort);
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Every_pod_meets_the_restricted_pod_security_standard(string workload)
    {
        var pod = Pod(workload);
        Assert.False(pod.Spec.AutomountServiceAccountToken);
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext.SeccompProfile.Type);
        Assert.All(pod.Spec.Volumes ?? [], v => Assert.Null(v.HostPath));

        foreach (var container in pod.Spec.Containers)
        {
            var security = container.SecurityContext;
            Assert.True(security.RunAsNonRoot, $"{workload}: runAsNonRoot");
            Assert.NotEqual(0, security.RunAsUser);
            Assert.False(security.AllowPrivilegeEscalation, $"{workload}: allowPrivilegeEscalation");
            Assert.False(security.Privileged ?? false, $"{workload}: privileged");
            Assert.Equal(["ALL"], security.Capabilities.Drop);
            Assert.Null(security.Capabilities.Add);
            Assert.True(security.ReadOnlyRootFilesystem, $"{workload}: readOnlyRootFilesystem");
            Assert.Equal("RuntimeDefault", security.SeccompProfile.Type);
            // A read-only root still needs a scratch /tmp.
            var tmp = container.VolumeMounts.Single(m => m.MountPath == "/tmp");
            Assert.NotNull(pod.Spec.Volumes!.Single(v => v.Name == tmp.Name).EmptyDir);
        }
    }

    [Fact]
    public void Redis_keeps_votes_on_a_claim_with_append_only_persistence_as_its_own_user()
    {
        var redis = fixture.Objects("base").OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis");
        var container = redis.Spec.Template.Spec.Containers.Single();

        // Named for the overlays' images entry, which points it at the project's registry.
        Assert.Equal($"redis:{RedisImage.Tag}", container.Image);
        Assert.Contains("--appendonly yes", string.Join(' ', container.Args), StringComparison.Ordinal);
        var claim = redis.Spec.VolumeClaimTemplates.Single();
        Assert.Equal("/data", container.VolumeMounts.Single(m => m.Name == claim.Metadata.Name).MountPath);
        Assert.Equal(999, container.SecurityContext.RunAsUser);
        Assert.Equal(999, redis.Spec.Template.Spec.SecurityContext.FsGroup);
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
            Assert.Equal("redis", config.Data["REDIS_HOST"]);
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

    private V1PodTemplateSpec Pod(string workload)
    {
        var objects = fixture.Objects("base").ToList();
        return objects.OfType<V1Deployment>().SingleOrDefault(d => d.Metadata.Name == workload)?.Spec.Template
            ?? objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == workload).Spec.Template;
    }
}
