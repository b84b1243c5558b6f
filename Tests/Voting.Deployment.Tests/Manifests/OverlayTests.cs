using System.Globalization;
using Aspire.Hosting.ApplicationModel;
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
                Assert.Single(RenderedManifestsFixture.Load(text));
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

    /// <summary>
    /// The containers' images point at the registry the setting names (the placeholder registry until the bootstrap
    /// records the project's copy), with an explicit tag or digest. The projects' images have no entry: CD renders each
    /// environment with the images it built, which an entry here would rename first.
    /// </summary>
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Overlays_map_each_containers_image_to_its_registry_copy_and_leave_the_projects_images_to_CD(string overlay)
    {
        var kustomization = Kustomization(overlay);
        var containers = fixture.Workloads.OfType<ContainerResource>().ToList();

        Assert.Equal(containers.Select(c => c.Annotations.OfType<ContainerImageAnnotation>().Last().Image.Split('/')[^1]).Order(), kustomization.Images!.Select(i => i.Name));
        Assert.All(kustomization.Images!, image =>
        {
            var container = containers.Single(c => c.Annotations.OfType<ContainerImageAnnotation>().Last().Image.EndsWith(image.Name!, StringComparison.Ordinal));
            var expected = fixture.Options.ContainerImages.GetValueOrDefault(container.Name)
                ?? $"registry.example.invalid/{image.Name}:{container.Annotations.OfType<ContainerImageAnnotation>().Last().Tag}";
            Assert.Equal(expected, image.Digest is null ? $"{image.NewName}:{image.NewTag}" : $"{image.NewName}@{image.Digest}");
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

    /// <summary>
    /// The paths the policies open, both ends of each, against the app model: its references (WithReference), each to
    /// the callee's Service port; the Gateway's proxies to each workload an HTTPRoute exposes; HTTPS to public
    /// addresses for each workload that reads the Application Insights connection string. Nothing else.
    /// </summary>
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
                // KeyVaultTests checks what the public-address rule leaves out.
                var to = rule.To.Single();
                var target = to.IpBlock is { Cidr: "0.0.0.0/0" } ? "public addresses" : to.PodSelector.MatchLabels["app.kubernetes.io/name"];
                paths.Add($"{self} -> {target}:{rule.Ports.Single().Port.Value}");
            }
        }

        var services = fixture.Objects("base").OfType<V1Service>().ToList();
        string ServicePort(string service) => services.Single(s => s.Metadata.Name == service).Spec.Ports.Single().Port.ToString(CultureInfo.InvariantCulture);
        var references = fixture.Workloads.SelectMany(w => w.Annotations.OfType<ResourceRelationshipAnnotation>()
            .Where(r => r.Type == "Reference" && fixture.Workloads.Contains(r.Resource))
            .Select(r => $"{w.Name} -> {r.Resource.Name}:{ServicePort(r.Resource.Name)}"));
        var exposed = fixture.Objects("base").OfType<CustomResource>().Where(o => o.Kind == "HTTPRoute").Select(route =>
            $"gateway {route["spec", "parentRefs", "0", "namespace"]}/{route["spec", "parentRefs", "0", "name"]} -> {route["spec", "rules", "0", "backendRefs", "0", "name"]}:{route["spec", "rules", "0", "backendRefs", "0", "port"]}");
        var exporters = fixture.Objects("base").OfType<V1Deployment>().Select(d => d.Spec.Template)
            .Concat(fixture.Objects("base").OfType<V1StatefulSet>().Select(s => s.Spec.Template))
            .Where(pod => pod.Spec.Containers.Single().Env?.Any(e => e.Name == "APPLICATIONINSIGHTS_CONNECTION_STRING") == true)
            .Select(pod => $"{pod.Metadata.Labels["app.kubernetes.io/name"]} -> public addresses:443");

        // Each path is allowed at both ends (egress of the caller, ingress of the callee), so the set holds it once.
        Assert.Equal(references.Concat(exposed).Concat(exporters).Order(StringComparer.Ordinal), paths);
    }

    private Kustomization Kustomization(string overlay) =>
        KubernetesYaml.Deserialize<Kustomization>(fixture.Manifests.Files[$"overlays/{overlay}/kustomization.yaml"], strict: true);
}
