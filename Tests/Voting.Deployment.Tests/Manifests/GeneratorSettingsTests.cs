using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Voting.AppHost.Kubernetes;
using Voting.AppHost.Kubernetes.Kustomize;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// Settings the voting AppHost leaves at their defaults, rendered from a small model of their own: a platform-owned
/// Gateway, proxies outside the cluster, placeholders, and settings that cannot work.
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

        Assert.DoesNotContain(manifests.Files.Values, text => text.Contains("\nkind: Gateway\n", StringComparison.Ordinal));
        Assert.Contains("namespace: platform-gateways\n    name: shared\n", manifests.Files["base/httproute-front.yaml"], StringComparison.Ordinal);
    }

    /// <summary>
    /// Proxies outside the cluster (Application Gateway for Containers) match no pod selector and do not connect from the
    /// pod network: their subnet is both the network admitted and the one trusted for forwarded headers.
    /// </summary>
    [Fact]
    public async Task Proxies_outside_the_cluster_are_admitted_and_trusted_by_their_subnet()
    {
        var manifests = await RenderAsync(k => k.Gateway = new ExternalGateway("shop.example.com")
        {
            GatewayClassName = "azure-alb-external",
            ProxyNetwork = "10.225.8.0/24",
            ClusterIssuer = null,
            GatewayAnnotations = new Dictionary<string, string> { ["alb.networking.azure.io/alb-name"] = "shop" },
        }, new ManifestGenerationOptions { AppName = "shop" });

        var policy = KubernetesYaml.Deserialize<V1NetworkPolicy>(manifests.Files["base/networkpolicy-allow-front.yaml"], strict: true);
        var peer = policy.Spec.Ingress.Single().FromProperty.Single();
        Assert.Equal("10.225.8.0/24", peer.IpBlock.Cidr);
        Assert.Null(peer.PodSelector);
        Assert.Contains("ForwardedHeaders__KnownNetworks: 10.225.8.0/24", manifests.Files["base/configmap-front-config.yaml"], StringComparison.Ordinal);
        var gateway = manifests.Files["platform/gateway-voting.yaml"];
        Assert.Contains("alb.networking.azure.io/alb-name: shop", gateway, StringComparison.Ordinal);
        Assert.DoesNotContain("cert-manager", gateway, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_network_that_is_not_a_CIDR_fails_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(
            k => k.Gateway = new ExternalGateway("shop.example.com") { ProxyNetwork = "10.225.8.0" }, new ManifestGenerationOptions { AppName = "shop" }));

        Assert.StartsWith("The Gateway ProxyNetwork of front '10.225.8.0' is not a network in CIDR notation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pod_network_that_is_not_a_CIDR_fails_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Kubernetes:PodCidr"] = "10.244.0.0" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => ManifestGenerationOptions.FromConfiguration(configuration));

        Assert.StartsWith("Kubernetes:PodCidr '10.244.0.0' is not a network in CIDR notation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_setting_for_an_unknown_environment_fails_naming_it()
    {
        var options = new ManifestGenerationOptions { AppName = "shop" };
        options.Environments["qa"] = new EnvironmentAzureSettings();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(k => k.Configure("staging", "MODE", "x"), options));

        Assert.Equal("An environment that does not exist is named by front: staging, Kubernetes:Environments: qa.", error.Message);
    }

    /// <summary>A workload that reads a Secret needs the environments' Azure ids; each missing or malformed one is named.</summary>
    [Theory]
    [InlineData(null, "kv-shop-dev", "11111111-1111-1111-1111-111111111111", "Kubernetes:Azure:TenantId is not set")]
    [InlineData("22222222-2222-2222-2222-222222222222", null, "11111111-1111-1111-1111-111111111111", "Kubernetes:Environments:dev:KeyVaultName is not set")]
    [InlineData("22222222-2222-2222-2222-222222222222", "kv-shop-dev", null, "Kubernetes:Environments:dev:WorkloadClientId is not set")]
    [InlineData("22222222-2222-2222-2222-222222222222", "kv-shop-dev", "not-a-guid", "Kubernetes:Environments:dev:WorkloadClientId 'not-a-guid' is not a GUID")]
    [InlineData("22222222-2222-2222-2222-222222222222", "kv_shop", "11111111-1111-1111-1111-111111111111", "Kubernetes:Environments:dev:KeyVaultName 'kv_shop' is not a Key Vault name")]
    public async Task Reading_a_secret_without_the_environments_Azure_settings_fails_naming_the_setting(
        string? tenantId, string? vault, string? clientId, string expected)
    {
        var options = new ManifestGenerationOptions { AppName = "shop", Azure = new AzureTenantSettings { TenantId = tenantId } };
        options.Environments["dev"] = new EnvironmentAzureSettings { KeyVaultName = vault, WorkloadClientId = clientId };
        options.Environments["prod"] = new EnvironmentAzureSettings { KeyVaultName = "kv-shop-prod", WorkloadClientId = "33333333-3333-3333-3333-333333333333" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(_ => { }, options, readsSecret: true));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("front", "example/front", "Kubernetes:ContainerImages:front 'example/front' is not REGISTRY/NAME:TAG or REGISTRY/NAME@sha256:DIGEST.")]
    [InlineData("back", "myacr.azurecr.io/back:1.0", "Kubernetes:ContainerImages names what is not a container of the app model: back.")]
    public async Task A_container_image_that_is_not_a_pinned_image_of_a_container_fails_naming_the_setting(string name, string image, string expected)
    {
        var options = new ManifestGenerationOptions { AppName = "shop" };
        options.ContainerImages[name] = image;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(_ => { }, options));

        Assert.Equal(expected, error.Message);
    }

    /// <summary>
    /// What is left unset renders under a reserved domain (RFC 2606, <c>.invalid</c>): no node pulls an image and no
    /// operator syncs a repository that someone else could register. The Key Vault placeholder renders too, yet Azure
    /// refuses its two hyphens in a row: no one can create that vault.
    /// </summary>
    [Fact]
    public async Task Unset_settings_render_placeholders_no_one_can_claim()
    {
        var options = new ManifestGenerationOptions { AppName = "shop", Azure = new AzureTenantSettings { TenantId = Guid.Empty.ToString() } };
        foreach (var environment in new[] { "dev", "prod" })
        {
            options.Environments[environment] = new EnvironmentAzureSettings { KeyVaultName = $"unset--{environment}", WorkloadClientId = Guid.Empty.ToString() };
        }

        var manifests = await RenderAsync(_ => { }, options, readsSecret: true);

        var image = KubernetesYaml.Deserialize<Kustomization>(manifests.Files["overlays/dev/kustomization.yaml"]).Images!.Single();
        Assert.Equal(("registry.example.invalid/front", "1.0"), (image.NewName, image.NewTag));
        var repository = CustomResource.Parse(manifests.Files["argocd/apps/application-shop-dev.yaml"])["spec", "source", "repoURL"]!;
        Assert.EndsWith(".invalid", new Uri(repository).Host, StringComparison.Ordinal);
        Assert.Contains("keyvaultName: unset--dev\n", manifests.Files["overlays/dev/secretproviderclass-key-vault.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workload_that_reads_no_secret_needs_no_vault_and_runs_as_the_default_account()
    {
        var manifests = await RenderAsync(_ => { });

        Assert.DoesNotContain(manifests.Files.Keys, path => path.Contains("secretproviderclass", StringComparison.Ordinal));
        Assert.DoesNotContain("serviceAccountName", manifests.Files["base/deployment-front.yaml"], StringComparison.Ordinal);
    }

    private static async Task<ManifestSet> RenderAsync(
        Action<KubernetesWorkloadSettings> configure, ManifestGenerationOptions? options = null, bool readsSecret = false)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = ["--operation", "publish"],
            DisableDashboard = true,
        });
        var front = builder.AddContainer("front", "example/front", "1.0")
            .WithHttpEndpoint(targetPort: 8080, name: "http")
            .WithEnvironment("MODE", "shop")
            .WithKubernetes(k =>
            {
                k.Gateway = new ExternalGateway("unused.example.com");
                configure(k);
            });
        if (readsSecret)
        {
            front.WithEnvironment("TOKEN", builder.AddParameter("token", secret: true));
        }

        await using var app = builder.Build();

        return await KubernetesManifestGenerator.RenderAsync(
            app.Services.GetRequiredService<DistributedApplicationModel>(),
            app.Services.GetRequiredService<DistributedApplicationExecutionContext>(),
            options ?? new ManifestGenerationOptions { AppName = "shop" },
            NullLogger.Instance, timeout.Token).WaitAsync(timeout.Token);
    }
}
