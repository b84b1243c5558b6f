using k8s;
using k8s.Models;
using Voting.AppHost.Kubernetes.GatewayApi;
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
    private Gateway Gateway => fixture.Objects("gateway").OfType<Gateway>().Single();

    private HttpRoute Route => fixture.Objects("base").OfType<HttpRoute>().Single(r => r.Metadata.Name == "web");

    [Fact]
    public void The_web_route_attaches_to_the_apps_gateway_and_sends_every_path_to_the_web_service()
    {
        var parent = Route.Spec.ParentRefs!.Single();
        Assert.Equal(("gateway.networking.k8s.io", "Gateway"), (parent.Group, parent.Kind));
        Assert.Equal((Gateway.Metadata.NamespaceProperty, Gateway.Metadata.Name), (parent.Namespace, parent.Name));

        var rule = Route.Spec.Rules!.Single();
        Assert.Equal(("PathPrefix", "/"), (rule.Matches!.Single().Path!.Type, rule.Matches!.Single().Path!.Value));
        var backend = rule.BackendRefs!.Single();
        var service = fixture.Objects("base").OfType<V1Service>().Single(s => s.Metadata.Name == backend.Name);
        Assert.Equal("web", service.Spec.Selector["app.kubernetes.io/name"]);
        Assert.Contains(service.Spec.Ports, p => p.Port == backend.Port);
        Assert.DoesNotContain(fixture.Manifests.Files.Keys, path => path.Contains("ingress", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("dev", "dev.voting.example.com")]
    [InlineData("prod", "voting.example.com")]
    public void Each_environment_serves_its_own_host_over_HTTPS_with_a_certificate_and_only_its_own_routes(string environment, string host)
    {
        Assert.Equal(host, RouteHost(environment));

        var listener = Gateway.Spec.Listeners!.Single(l => l.Hostname == host);
        Assert.Equal(("HTTPS", 443), (listener.Protocol, listener.Port));
        Assert.Equal("Terminate", listener.Tls!.Mode);
        Assert.Equal("Secret", listener.Tls.CertificateRefs!.Single().Kind);
        Assert.False(string.IsNullOrEmpty(listener.Tls.CertificateRefs!.Single().Name));
        // Only routes from this environment's namespace may claim its host.
        Assert.Equal("Selector", listener.AllowedRoutes!.Namespaces!.From);
        Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = $"voting-{environment}" },
            listener.AllowedRoutes.Namespaces.Selector!.MatchLabels);
        Assert.Equal("cert-manager.io/cluster-issuer", Assert.Single(Gateway.Metadata.Annotations).Key);
    }

    [Fact]
    public void Plain_HTTP_only_redirects_to_HTTPS_and_takes_no_route_from_the_app()
    {
        Assert.Equal("approuting-istio", Gateway.Spec.GatewayClassName);
        var http = Gateway.Spec.Listeners!.Single(l => l.Protocol == "HTTP");
        Assert.Equal(80, http.Port);
        Assert.Equal("Same", http.AllowedRoutes!.Namespaces!.From);

        var redirect = fixture.Objects("gateway").OfType<HttpRoute>().Single();
        Assert.Equal(Gateway.Metadata.NamespaceProperty, redirect.Metadata.NamespaceProperty);
        Assert.Equal((Gateway.Metadata.Name, http.Name), (redirect.Spec.ParentRefs!.Single().Name, redirect.Spec.ParentRefs!.Single().SectionName));
        var filter = redirect.Spec.Rules!.Single().Filters!.Single();
        Assert.Equal(("RequestRedirect", "https", 301), (filter.Type, filter.RequestRedirect!.Scheme, filter.RequestRedirect.StatusCode));
        Assert.Null(redirect.Spec.Rules!.Single().BackendRefs);
    }

    [Fact]
    public void Only_the_gateways_proxies_reach_the_web_from_outside_the_app()
    {
        var policy = fixture.Objects("base").OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "allow-web");
        var fromOutside = policy.Spec.Ingress.SelectMany(r => r.FromProperty).Where(p => p.NamespaceSelector is not null).ToList();

        // One peer with both selectors: pods of that Gateway, in the gateway's namespace (two peers would mean "or").
        var peer = Assert.Single(fromOutside);
        Assert.Equal(Gateway.Metadata.NamespaceProperty, peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal(new Dictionary<string, string> { ["gateway.networking.k8s.io/gateway-name"] = Gateway.Metadata.Name },
            peer.PodSelector.MatchLabels);
        Assert.All(policy.Spec.Ingress, rule => Assert.NotEmpty(rule.FromProperty));
    }

    [Fact]
    public void The_web_trusts_forwarded_headers_only_from_the_network_the_gateway_connects_from()
    {
        var config = fixture.Objects("base").OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "web-config");
        Assert.Equal("10.244.0.0/16", config.Data["ForwardedHeaders__KnownNetworks"]);
        Assert.DoesNotContain(fixture.Manifests.Files.Values, text => text.Contains("ASPNETCORE_FORWARDEDHEADERS_ENABLED", StringComparison.Ordinal));
    }

    /// <summary>The route's host after the overlay's patches (base's, or the one the host patch writes).</summary>
    private string RouteHost(string environment)
    {
        var kustomization = KubernetesYaml.Deserialize<Kustomization>(fixture.Manifests.Files[$"overlays/{environment}/kustomization.yaml"], strict: true);
        var patch = (kustomization.Patches ?? []).SingleOrDefault(p => p.Target!.Kind == "HTTPRoute" && p.Target.Name == "web");
        if (patch is null)
        {
            return Route.Spec.Hostnames!.Single();
        }

        var operation = KubernetesYaml.Deserialize<List<Dictionary<string, string>>>(fixture.Manifests.Files[$"overlays/{environment}/{patch.Path}"]).Single();
        Assert.Equal(("replace", "/spec/hostnames/0"), (operation["op"], operation["path"]));
        return operation["value"];
    }
}
