using System.Net;

namespace Voting.AppHost.Kubernetes;

/// <summary>
/// Settings of one rendering of gitops-manifests/, read from the AppHost configuration section <c>Kubernetes</c>
/// (appsettings.json, environment variables such as <c>Kubernetes__RepoUrl</c>, or <c>--Kubernetes:RepoUrl</c>).
/// </summary>
public sealed class ManifestGenerationOptions
{
    public const string SectionName = "Kubernetes";

    /// <summary>Prefix of the image names (<c>voting/api</c>), the part-of label and the namespaces.</summary>
    public string AppName { get; set; } = "voting";

    /// <summary>The tag of the projects' images in base/: deliberately not pullable; CD sets the images it built.</summary>
    public string InitialImageTag { get; set; } = "0.0.0-unset";

    /// <summary>
    /// Where nodes pull each container of the app model from, by resource name (<c>Kubernetes:ContainerImages:redis</c>):
    /// <c>REGISTRY/NAME@sha256:DIGEST</c> or <c>REGISTRY/NAME:TAG</c>, the registry copy infra/bootstrap.sh imports and
    /// records here. The overlays' <c>images:</c> say it. Unset: <see cref="PlaceholderRegistry"/> and the model's tag.
    /// </summary>
    public Dictionary<string, string> ContainerImages { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The Git repository Argo CD and Flux sync. Committed in appsettings.json, never detected: every clone must render
    /// the committed files, whatever its remote.
    /// </summary>
    public string RepoUrl { get; set; } = PlaceholderRepoUrl;

    /// <summary>Where gitops-manifests/ is inside the repository: the Applications' source paths start with it.</summary>
    public string RepositoryPath { get; set; } = "gitops-manifests";

    /// <summary>
    /// The branch the operators' own objects follow (Argo CD's root Application, Flux's folder); each environment
    /// follows its own branch instead (<see cref="DeploymentEnvironment.Branch"/>).
    /// </summary>
    public string TargetRevision { get; set; } = "main";

    /// <summary>The Entra ID tenant of the Key Vaults and workload identities (<c>Kubernetes:Azure:TenantId</c>).</summary>
    public AzureTenantSettings Azure { get; set; } = new();

    /// <summary>Per environment name (<c>Kubernetes:Environments:dev:KeyVaultName</c>, ...): see <see cref="EnvironmentAzureSettings"/>.</summary>
    public Dictionary<string, EnvironmentAzureSettings> Environments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The service account the pods that read Key Vault run as: the subject each environment's workload identity is
    /// federated with (<c>system:serviceaccount:NAMESPACE:NAME</c>, the <c>workloadServiceAccountName</c> output).
    /// </summary>
    public string WorkloadServiceAccountName { get; set; } = "voting";

    /// <summary>
    /// The cluster's pod network (infra/ pins it and outputs it as <c>podCidr</c>; infra/bootstrap.sh writes it here).
    /// The gateway's proxies are pods, and pod-to-pod traffic keeps its source address, so an exposed workload trusts
    /// <c>X-Forwarded-For</c>/<c>-Proto</c> from this network (<c>ForwardedHeaders__KnownNetworks</c>); its NetworkPolicy
    /// admits only the gateway's pods, so no other pod can forge them (proxies outside the cluster: <see cref="Settings.ExternalGateway.ProxyNetwork"/>).
    /// </summary>
    public string PodCidr { get; set; } = "10.244.0.0/16";

    /// <summary>Placeholders in a reserved domain (RFC 2606): nothing anyone can register, so nothing pulls or pushes there.</summary>
    public const string PlaceholderRepoUrl = "https://example.invalid/voting-app.git";

    public const string PlaceholderRegistry = "registry.example.invalid";

    public static ManifestGenerationOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        var options = new ManifestGenerationOptions();
        configuration.GetSection(SectionName).Bind(options);
        RequireCidr($"{SectionName}:PodCidr", options.PodCidr, "10.244.0.0/16");
        return options;
    }

    /// <summary>Fails, naming the setting and an example, when <paramref name="value"/> is not a network in CIDR notation.</summary>
    internal static void RequireCidr(string setting, string? value, string example)
    {
        if (!IPNetwork.TryParse(value, out _))
        {
            throw new InvalidOperationException($"{setting} '{value}' is not a network in CIDR notation ({example}).");
        }
    }
}

/// <summary>The Azure side shared by every environment.</summary>
public sealed class AzureTenantSettings
{
    /// <summary>The Entra ID tenant (a GUID) that issues the workload identities' tokens and owns the Key Vaults.</summary>
    public string? TenantId { get; set; }
}

/// <summary>
/// What one environment's manifests need from its Azure deployment (the <c>kubernetesEnvironments</c> output of
/// infra/main.bicep, which infra/bootstrap.sh writes into AppHost/appsettings.json): ids and names, never secrets.
/// </summary>
public sealed class EnvironmentAzureSettings
{
    /// <summary>
    /// The environment's Key Vault, which holds its Redis password and Application Insights connection string. The
    /// committed placeholder, <c>unset--ENV</c>, renders but has two hyphens in a row, which Azure refuses in a vault
    /// name: no one can create it, so the CSI driver fails closed until the bootstrap writes the real one.
    /// </summary>
    public string? KeyVaultName { get; set; }

    /// <summary>Client id of the environment's workload identity: its pods' service account is federated with it.</summary>
    public string? WorkloadClientId { get; set; }
}
