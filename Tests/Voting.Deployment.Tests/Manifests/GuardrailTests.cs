using k8s;
using k8s.Models;
using Voting.AppHost.Kubernetes.Kustomize;

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
    /// Independent of how the generator sizes the quota: from the rendered replicas, autoscaler maximums and
    /// containers, with a Deployment's default 25% surge rounded up on top. Exactly that: a quota with room to spare
    /// would let a runaway workload take what the app never needs.
    /// </summary>
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_quota_admits_every_workload_at_its_maximum_during_a_rolling_update_and_nothing_more(string environment)
    {
        var overlay = fixture.Objects($"overlays/{environment}").ToList();
        var quota = overlay.OfType<V1ResourceQuota>().Single().Spec.Hard;
        var replicas = ReplicasByWorkload(environment);

        var pods = new List<(V1PodSpec Spec, int Count)>();
        foreach (var deployment in fixture.Objects("base").OfType<V1Deployment>())
        {
            var max = overlay.OfType<V2HorizontalPodAutoscaler>().SingleOrDefault(h => h.Spec.ScaleTargetRef.Name == deployment.Metadata.Name)?.Spec.MaxReplicas
                ?? replicas[deployment.Metadata.Name];
            pods.Add((deployment.Spec.Template.Spec, max + (int)Math.Ceiling(max / 4.0)));
        }

        foreach (var statefulSet in fixture.Objects("base").OfType<V1StatefulSet>())
        {
            pods.Add((statefulSet.Spec.Template.Spec, statefulSet.Spec.Replicas!.Value));
        }

        Assert.Equal(pods.Sum(p => p.Count), quota["pods"].ToDecimal());
        foreach (var (key, pick) in new (string, Func<V1ResourceRequirements, IDictionary<string, ResourceQuantity>>)[]
        {
            ("requests.cpu", r => r.Requests), ("limits.cpu", r => r.Limits), ("requests.memory", r => r.Requests), ("limits.memory", r => r.Limits),
        })
        {
            var resource = key.Split('.')[1];
            var needed = pods.Sum(p => p.Count * p.Spec.Containers.Sum(c => pick(c.Resources)[resource].ToDecimal()));
            Assert.True(quota[key].ToDecimal() == needed, $"{environment}: {key} is {quota[key]}, the app needs {needed}");
        }

        var claims = fixture.Objects("base").OfType<V1StatefulSet>()
            .SelectMany(s => Enumerable.Repeat(s.Spec.VolumeClaimTemplates, s.Spec.Replicas!.Value).SelectMany(t => t)).ToList();
        Assert.Equal(claims.Count, quota["persistentvolumeclaims"].ToDecimal());
        Assert.Equal(claims.Sum(c => c.Spec.Resources.Requests["storage"].ToDecimal()), quota["requests.storage"].ToDecimal());
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

    /// <summary>The overlay's replicas: entries (autoscaled workloads have none).</summary>
    private Dictionary<string, int> ReplicasByWorkload(string environment) =>
        KubernetesYaml.Deserialize<Kustomization>(
                fixture.Manifests.Files[$"overlays/{environment}/kustomization.yaml"], strict: true)
            .Replicas?.ToDictionary(r => r.Name!, r => r.Count) ?? [];
}
