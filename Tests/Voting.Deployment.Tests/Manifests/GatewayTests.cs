using k8s;
using k8s.Models;
using Voting.AppHost.Kubernetes.Kustomize;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// The web is reached through the Gateway API only: its HTTPRoute attaches to the app's Gateway for the environment's
/// host, the Gateway serves that host over HTTPS with a certificate, plain HTTP only redirects, and the web's
/// NetworkPolicy lets in the Gateway's proxies and nothing else from outside the app.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class GatewayTests(RenderedManifestsFixture fixture)
{
    private CustomResource Gateway => fixture.Objects("platform").OfType<CustomResource>().Single(o => o.Kind == "Gateway");

    private string GatewayNamespace => Gateway["metadata", "namespace"]!;

    private CustomResource Route => fixture.Objects("base").OfType<CustomResource>().Single(o => o.Kind == "HTTPRoute" && o.Name == "web");

    [Fact]
    public void The_web_route_attaches_to_the_apps_gateway_and_sends_every_path_to_the_web_service()
    {
        var parent = Route.Items("spec", "parentRefs").Single();
        Assert.Equal(("gateway.networking.k8s.io", "Gateway"), (parent["group"], parent["kind"]));
        Assert.Equal((GatewayNamespace, Gateway.Name), (parent["namespace"], parent["name"]));

        var rule = Route.Items("spec", "rules").Single();
        Assert.Equal(("PathPrefix", "/"), (rule["matches", "0", "path", "type"], rule["matches", "0", "path", "value"]));
        var backend = rule.Items("backendRefs").Single();
        var service = fixture.Objects("base").OfType<V1Service>().Single(s => s.Metadata.Name == backend["name"]);
        Assert.Equal("web", service.Spec.Selector["app.kubernetes.io/name"]);
        Assert.Contains(service.Spec.Ports, p => p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) == backend["port"]);
        Assert.DoesNotContain(fixture.Manifests.Files.Keys, path => path.Contains("ingress", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dev", "dev.voting.example.com")]
    [InlineData("prod", "voting.example.com")]
    public void Each_environment_serves_its_own_host_over_HTTPS_with_a_certificate_and_only_its_own_routes(string environment, string host)
    {
        Assert.Equal(host, RouteHost(environment));

        var listener = Gateway.Items("spec", "listeners").Single(l => l["hostname"] == host);
        Assert.Equal(("HTTPS", "443"), (listener["protocol"], listener["port"]));
        Assert.Equal("Terminate", listener["tls", "mode"]);
        Assert.Equal("Secret", listener["tls", "certificateRefs", "0", "kind"]);
        Assert.False(string.IsNullOrEmpty(listener["tls", "certificateRefs", "0", "name"]));
        // Only routes from this environment's namespace may claim its host.
        Assert.Equal("Selector", listener["allowedRoutes", "namespaces", "from"]);
        Assert.Equal("""{"kubernetes.io/metadata.name":"voting-ENV"}""".Replace("ENV", environment, StringComparison.Ordinal),
            listener["allowedRoutes", "namespaces", "selector", "matchLabels"]);
        Assert.Equal("cert-manager.io/cluster-issuer", Assert.Single(Gateway.Node("metadata", "annotations")!.AsObject()).Key);
    }

    [Fact]
    public void Plain_HTTP_only_redirects_to_HTTPS_and_takes_no_route_from_the_app()
    {
        Assert.Equal("approuting-istio", Gateway["spec", "gatewayClassName"]);
        var http = Gateway.Items("spec", "listeners").Single(l => l["protocol"] == "HTTP");
        Assert.Equal("80", http["port"]);
        Assert.Equal("Same", http["allowedRoutes", "namespaces", "from"]);

        var redirect = fixture.Objects("platform").OfType<CustomResource>().Single(o => o.Kind == "HTTPRoute");
        Assert.Equal(GatewayNamespace, redirect["metadata", "namespace"]);
        Assert.Equal((Gateway.Name, http["name"]), (redirect["spec", "parentRefs", "0", "name"], redirect["spec", "parentRefs", "0", "sectionName"]));
        var rule = redirect.Items("spec", "rules").Single();
        var filter = rule.Items("filters").Single();
        Assert.Equal(("RequestRedirect", "https", "301"), (filter["type"], filter["requestRedirect", "scheme"], filter["requestRedirect", "statusCode"]));
        Assert.Null(rule["backendRefs"]);
    }

    [Fact]
    public void Only_the_gateways_proxies_reach_the_web_from_outside_the_app()
    {
        var policy = fixture.Objects("base").OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "allow-web");
        var fromOutside = policy.Spec.Ingress.SelectMany(r => r.FromProperty).Where(p => p.NamespaceSelector is not null).ToList();

        // One peer with both selectors: pods of that Gateway, in the gateway's namespace (two peers would mean "or").
        var peer = Assert.Single(fromOutside);
        Assert.Equal(GatewayNamespace, peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal(new Dictionary<string, string> { ["gateway.networking.k8s.io/gateway-name"] = Gateway.Name },
            peer.PodSelector.MatchLabels);
        Assert.All(policy.Spec.Ingress, rule => Assert.NotEmpty(rule.FromProperty));
    }

    /// <summary>
    /// The gateway's proxies are pods of the cluster (the NetworkPolicy admits them by pod selector), and pod-to-pod
    /// traffic keeps its source address: they connect from the pod network, the one setting the Web trusts forwarded
    /// headers from (ManifestContractTests checks it is the network infra/ gives the cluster). Aspire's trust-every-peer
    /// switch is never deployed.
    /// </summary>
    [Fact]
    public void The_web_trusts_forwarded_headers_only_from_the_pod_network_the_gateway_connects_from()
    {
        Assert.NotNull(fixture.Objects("base").OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "allow-web")
            .Spec.Ingress.SelectMany(r => r.FromProperty).Single(p => p.NamespaceSelector is not null).PodSelector);

        var config = fixture.Objects("base").OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "web-config");
        Assert.Equal(fixture.Options.PodCidr, config.Data["ForwardedHeaders__KnownNetworks"]);
        Assert.DoesNotContain(fixture.Manifests.Files.Values, text => text.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED", StringComparison.Ordinal));
    }

    /// <summary>The route's host after the overlay's patches (base's, or the one the host patch writes).</summary>
    private string RouteHost(string environment)
    {
        var kustomization = KubernetesYaml.Deserialize<Kustomization>(fixture.Manifests.Files[$"overlays/{environment}/kustomization.yaml"], strict: true);
        var patch = (kustomization.Patches ?? []).SingleOrDefault(p => p.Target!.Kind == "HTTPRoute" && p.Target.Name == "web");
        if (patch is null)
        {
            return Route["spec", "hostnames", "0"]!;
        }

        var operation = KubernetesYaml.Deserialize<List<Dictionary<string, string>>>(fixture.Manifests.Files[$"overlays/{environment}/{patch.Path}"]).Single();
        Assert.Equal(("replace", "/spec/hostnames/0"), (operation["op"], operation["path"]));
        return operation["value"];
    }
}
