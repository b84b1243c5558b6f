using k8s;
using k8s.Models;
using Voting.AppHost.Kubernetes.Kustomize;

namespace Voting.Deployment.Tests.Manifests;

[Collection(RenderedManifestsCollection.Name)]
public sealed class OverlayTests(RenderedManifestsFixture fixture)
{
    [Fact]
    public void Every_object_file_loads_strictly_and_every_kustomization_lists_its_folder()
    {
        foreach (var (path, text) in fixture.Manifests.Files)
        {
            if (RenderedManifestsFixture.IsObjectFile(path))
            {
                Assert.Single(KubernetesYaml.LoadAllFromString(text, RenderedManifestsFixture.CustomTypes, strict: true));
            }
            else if (path.EndsWith("/kustomization.yaml", StringComparison.Ordinal))
            {
                var folder = path[..path.LastIndexOf('/')];
                var kustomization = KubernetesYaml.Deserialize<Kustomization>(text, strict: true);
                var listed = (kustomization.Resources ?? []).Concat((kustomization.Patches ?? []).Select(p => p.Path!))
                    .Where(r => !r.StartsWith("../", StringComparison.Ordinal));
                // A subfolder with its own kustomization.yaml (argocd/apps) is listed there, not here.
                var present = fixture.Manifests.Files.Keys.Where(k => k.StartsWith(folder + "/", StringComparison.Ordinal) && k != path)
                    .Select(k => k[(folder.Length + 1)..])
                    .Where(k => !k.Contains('/', StringComparison.Ordinal));
                Assert.Equal(present.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Overlays_map_every_image_CD_does_not_build_to_the_projects_registry_with_an_explicit_tag(string overlay)
    {
        var kustomization = Kustomization(overlay);

        // Redis: nodes pull it from the project's registry, where the bootstrap imports it. The Api and Web images are
        // absent: CD renders each environment with the images it built, which an entry here would rename first.
        Assert.Equal(["redis"], kustomization.Images!.Select(i => i.Name));
        Assert.All(kustomization.Images!, image =>
        {
            Assert.EndsWith($"/{image.Name}", image.NewName, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(image.NewTag));
            Assert.NotEqual("latest", image.NewTag);
        });
        Assert.NotNull(kustomization.Namespace);
        Assert.NotEmpty(kustomization.Labels!);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("web")]
    public void Production_autoscales_with_a_disruption_budget_and_spread_and_sets_no_replicas(string workload)
    {
        var prod = fixture.Objects("overlays/prod").ToList();
        var autoscaler = prod.OfType<V2HorizontalPodAutoscaler>().Single(h => h.Metadata.Name == workload);
        Assert.Equal(workload, autoscaler.Spec.ScaleTargetRef.Name);
        Assert.True(autoscaler.Spec.MinReplicas >= 2);
        Assert.Single(prod.OfType<V1PodDisruptionBudget>(), p => p.Metadata.Name == workload);

        // The HPA owns replicas: neither base nor the overlay may set them.
        Assert.Null(fixture.Objects("base").OfType<V1Deployment>().Single(d => d.Metadata.Name == workload).Spec.Replicas);
        Assert.DoesNotContain(Kustomization("prod").Replicas ?? [], r => r.Name == workload);

        var spread = Kustomization("prod").Patches!.Single(p => p.Target!.Name == workload && p.Target.Kind == "Deployment"
            && p.Path!.EndsWith("-topology-spread.patch.yaml", StringComparison.Ordinal));
        Assert.Contains("topologySpreadConstraints", fixture.Manifests.Files[$"overlays/prod/{spread.Path}"], StringComparison.Ordinal);
    }

    [Fact]
    public void Network_policies_allow_exactly_the_calls_the_app_makes()
    {
        var policies = fixture.Objects("base").OfType<V1NetworkPolicy>().ToList();

        var deny = policies.Single(p => p.Metadata.Name == "default-deny");
        Assert.Empty(deny.Spec.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Equal(["Ingress", "Egress"], deny.Spec.PolicyTypes);

        var dns = policies.Single(p => p.Metadata.Name == "allow-dns").Spec.Egress.Single();
        Assert.All(dns.Ports, p => Assert.Equal("53", p.Port.Value));

        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var policy in policies.Where(p => p.Metadata.Name is not ("default-deny" or "allow-dns")))
        {
            var self = policy.Spec.PodSelector.MatchLabels["app.kubernetes.io/name"];
            foreach (var rule in policy.Spec.Ingress ?? [])
            {
                foreach (var peer in rule.FromProperty)
                {
                    var from = peer.NamespaceSelector is null
                    ? peer.PodSelector.MatchLabels["app.kubernetes.io/name"]
                    : $"gateway {peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]}/{peer.PodSelector.MatchLabels["gateway.networking.k8s.io/gateway-name"]}";
                    paths.Add($"{from} -> {self}:{rule.Ports.Single().Port.Value}");
                }
            }

            foreach (var rule in policy.Spec.Egress ?? [])
            {
                var to = rule.To.Single();
                var target = to.IpBlock is { } block
                    ? $"{block.Cidr} except {string.Join(",", block.Except)}"
                    : to.PodSelector.MatchLabels["app.kubernetes.io/name"];
                paths.Add($"{self} -> {target}:{rule.Ports.Single().Port.Value}");
            }
        }

        // Each path is allowed at both ends (egress of the caller, ingress of the callee), so the set holds it once.
        // No web -> redis: the Web reaches the votes only through the Api. The public internet on 443: Azure Monitor.
        const string AzureMonitor = "0.0.0.0/0 except 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,169.254.0.0/16:443";
        Assert.Equal(
            [
                $"api -> {AzureMonitor}", "api -> redis:6379", "gateway voting-gateway/voting -> web:8080",
                $"web -> {AzureMonitor}", "web -> api:8080",
            ],
            paths);
    }

    private Kustomization Kustomization(string overlay) =>
        KubernetesYaml.Deserialize<Kustomization>(fixture.Manifests.Files[$"overlays/{overlay}/kustomization.yaml"], strict: true);
}
