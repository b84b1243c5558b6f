using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Voting.AppHost.Kubernetes;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.Tests.Manifests;

/// <summary>
/// Settings the voting AppHost leaves at their defaults, rendered from a small model of their own: a platform-owned
/// Gateway, proxies outside the cluster, and a setting for an environment that does not exist.
/// </summary>
public sealed class GeneratorSettingsTests
{
    [Fact]
    public async Task A_platform_owned_gateway_renders_only_the_route()
    {
        var manifests = await RenderAsync(k => k.Gateway = new ExternalGateway("shop.example.com")
        {
            AppOwnsGateway = false,
            GatewayNamespace = "platform-gateways",
            GatewayName = "shared",
        });

        Assert.DoesNotContain(manifests.Files.Keys, path => path.StartsWith("gateway/", StringComparison.Ordinal));
        Assert.Contains("namespace: platform-gateways\n    name: shared\n", manifests.Files["base/httproute-front.yaml"], StringComparison.Ordinal);
    }

    /// <summary>Application Gateway for Containers connects from its subnet, not from pods: no pod selector can match it.</summary>
    [Fact]
    public async Task Proxies_outside_the_cluster_are_admitted_and_trusted_by_their_network()
    {
        var manifests = await RenderAsync(k => k.Gateway = new ExternalGateway("shop.example.com")
        {
            GatewayClassName = "azure-alb-external",
            ProxiesRunInCluster = false,
            ProxyNetwork = "10.225.0.0/24",
            ClusterIssuer = null,
            GatewayAnnotations = new Dictionary<string, string> { ["alb.networking.azure.io/alb-name"] = "shop" },
        });

        var policy = KubernetesYaml.Deserialize<V1NetworkPolicy>(manifests.Files["base/networkpolicy-allow-front.yaml"], strict: true);
        var peer = policy.Spec.Ingress.Single().FromProperty.Single();
        Assert.Equal("10.225.0.0/24", peer.IpBlock.Cidr);
        Assert.Null(peer.PodSelector);
        Assert.Contains("ForwardedHeaders__KnownNetworks: 10.225.0.0/24", manifests.Files["base/configmap-front-config.yaml"], StringComparison.Ordinal);
        var gateway = manifests.Files["gateway/gateway-voting.yaml"];
        Assert.Contains("alb.networking.azure.io/alb-name: shop", gateway, StringComparison.Ordinal);
        Assert.DoesNotContain("cert-manager", gateway, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_for_an_unknown_environment_fails_naming_it()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(k => k.Configure("staging", "MODE", "x")));
        Assert.Contains("front: staging", error.Message, StringComparison.Ordinal);
    }

    private static async Task<ManifestSet> RenderAsync(Action<KubernetesWorkloadSettings> configure)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--operation", "publish"],
            DisableDashboard = true,
        });
        builder.AddContainer("front", "example/front", "1.0")
            .WithHttpEndpoint(targetPort: 8080, name: "http")
            .WithEnvironment("MODE", "shop")
            .WithKubernetes(k =>
            {
                k.Gateway = new ExternalGateway("unused.example.com");
                configure(k);
            });
        await using var app = builder.Build();

        return await KubernetesManifestGenerator.RenderAsync(
            app.Services.GetRequiredService<DistributedApplicationModel>(),
            app.Services.GetRequiredService<DistributedApplicationExecutionContext>(),
            new ManifestGenerationOptions { AppName = "shop" },
            existingDirectory: null, NullLogger.Instance, timeout.Token).WaitAsync(timeout.Token);
    }
}
