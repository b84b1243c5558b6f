using Aspire.Hosting.ApplicationModel;
using k8s.Models;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// Each environment's namespace enforces the restricted Pod Security Standard and a quota that fits the app at its
/// largest, and the GitOps project may create exactly the kinds the overlays hold.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class GuardrailTests(RenderedManifestsFixture fixture)
{
    private const string Guardrails = "guardrails";

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_namespace_enforces_audits_and_warns_the_restricted_profile(string environment)
    {
        var ns = fixture.Objects($"overlays/{environment}").OfType<V1Namespace>().Single();

        Assert.Equal($"voting-{environment}", ns.Metadata.Name);
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            Assert.Equal("restricted", ns.Metadata.Labels[$"pod-security.kubernetes.io/{mode}"]);
            Assert.Matches(@"^(latest|v1\.\d+)$", ns.Metadata.Labels[$"pod-security.kubernetes.io/{mode}-version"]);
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Namespace_quota_limit_range_and_service_account_are_labelled_as_guardrails(string environment)
    {
        var objects = fixture.Objects($"overlays/{environment}").ToList();
        // The ServiceAccount too: writing one grants its tokens (serviceaccounts/token is serviceaccounts/write to Azure
        // RBAC for Kubernetes), and its token reads the Key Vault.
        IEnumerable<V1ObjectMeta> guardrails =
        [
            objects.OfType<V1Namespace>().Single().Metadata,
            objects.OfType<V1ResourceQuota>().Single().Metadata,
            objects.OfType<V1LimitRange>().Single().Metadata,
            objects.OfType<V1ServiceAccount>().Single().Metadata,
        ];
        Assert.All(guardrails, metadata => Assert.Equal(Guardrails, metadata.Labels["app.kubernetes.io/component"]));
        // Nothing else: the push-mode deploy identity applies everything but these.
        Assert.Equal(4, objects.Concat(fixture.Objects("base")).Count(o => (o is CustomResource custom
            ? custom["metadata", "labels", "app.kubernetes.io/component"]
            : ((IMetadata<V1ObjectMeta>)o).Metadata.Labels?.FirstOrDefault(l => l.Key == "app.kubernetes.io/component").Value) == Guardrails));
    }

    /// <summary>
    /// From the app model (AppHost.cs), not from how the generator sizes the quota: each workload at its largest in the
    /// environment (its replicas, or in production its autoscaler's maximum) and, for a Deployment, a rollout at that
    /// size: Kubernetes' default maxSurge (25%, rounded up) of new pods on top, while as many old pods may still be
    /// terminating, which count against a quota until they are gone. A StatefulSet replaces its pods one at a time.
    /// Exactly that: a quota with room to spare would let a runaway workload take what the app never needs.
    /// </summary>
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_quota_admits_a_rollout_of_every_workload_at_its_maximum_and_nothing_more(string environment)
    {
        var quota = fixture.Objects($"overlays/{environment}").OfType<V1ResourceQuota>().Single().Spec.Hard;
        // No Deployment sets its own strategy: the default 25% surge is the one that applies.
        Assert.All(fixture.Objects("base").OfType<V1Deployment>(), d => Assert.Null(d.Spec.Strategy));

        var pods = fixture.Workloads.Select(workload =>
        {
            var settings = workload.Annotations.OfType<KubernetesWorkloadAnnotation>().SingleOrDefault()?.Settings ?? new KubernetesWorkloadSettings();
            var replicas = workload.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
            var max = environment == "prod" && settings.ProductionAutoscaling is { } scaling ? scaling.MaxReplicas : replicas;
            return (settings, Count: settings.Storage is null ? max + (int)Math.Ceiling(max / 4.0) + max : replicas, Replicas: replicas);
        }).ToList();

        Assert.Equal(pods.Sum(p => p.Count), quota["pods"].ToDecimal());
        foreach (var (key, pick) in new (string, Func<ComputeResources, string>)[]
        {
            ("requests.cpu", r => r.CpuRequest), ("limits.cpu", r => r.CpuLimit), ("requests.memory", r => r.MemoryRequest), ("limits.memory", r => r.MemoryLimit),
        })
        {
            var needed = pods.Sum(p => p.Count * new ResourceQuantity(pick(p.settings.Resources)).ToDecimal());
            Assert.True(quota[key].ToDecimal() == needed, $"{environment}: {key} is {quota[key]}, the app needs {needed}");
        }

        var claims = pods.Where(p => p.settings.Storage is not null).ToList();
        Assert.Equal(claims.Sum(p => p.Replicas), quota["persistentvolumeclaims"].ToDecimal());
        Assert.Equal(claims.Sum(p => p.Replicas * new ResourceQuantity(p.settings.Storage!.Size).ToDecimal()), quota["requests.storage"].ToDecimal());
        Assert.Equal(0, quota["services.loadbalancers"].ToDecimal());
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_limit_range_caps_no_container_below_what_it_asks_and_defaults_the_rest(string environment)
    {
        var item = fixture.Objects($"overlays/{environment}").OfType<V1LimitRange>().Single().Spec.Limits.Single();
        Assert.Equal("Container", item.Type);
        Assert.NotNull(item.DefaultRequest);
        Assert.NotNull(item.DefaultProperty);

        var containers = fixture.Objects("base").OfType<V1Deployment>().Select(d => d.Spec.Template)
            .Concat(fixture.Objects("base").OfType<V1StatefulSet>().Select(s => s.Spec.Template))
            .SelectMany(t => t.Spec.Containers);
        Assert.All(containers, c => Assert.All(c.Resources.Limits, limit =>
            Assert.True(item.Max[limit.Key].ToDecimal() >= limit.Value.ToDecimal(), $"{c.Name}: {limit.Key} {limit.Value} > max {item.Max[limit.Key]}")));
    }

    [Fact]
    public void The_Argo_CD_project_allows_exactly_the_kinds_the_overlays_hold()
    {
        var project = fixture.Objects("argocd").OfType<CustomResource>().Single(o => o.Kind == "AppProject");
        var rendered = fixture.Objects("base").Concat(fixture.Objects("overlays/dev")).Concat(fixture.Objects("overlays/prod"))
            .Select(RenderedManifestsFixture.Identity)
            .Select(o => (Group: o.ApiVersion.Contains('/', StringComparison.Ordinal) ? o.ApiVersion[..o.ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "", o.Kind))
            .ToHashSet();

        var cluster = project.Items("spec", "clusterResourceWhitelist").Select(k => (k["group"]!, k["kind"]!)).ToList();
        var namespaced = project.Items("spec", "namespaceResourceWhitelist").Select(k => (k["group"]!, k["kind"]!)).ToList();
        Assert.Equal([("", "Namespace")], cluster);
        Assert.Equal(rendered.Except(cluster).Order(), namespaced.Order());
    }
}
