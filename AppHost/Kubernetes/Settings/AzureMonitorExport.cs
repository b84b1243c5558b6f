using Voting.AppHost.Kubernetes.Model;

namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>
/// Telemetry to Azure Monitor: the service defaults export there whenever <see cref="Variable"/> is set. In the
/// cluster it comes from the environment's Key Vault (secret <see cref="SecretName"/>, written by infra/), and the
/// workload's NetworkPolicy lets it reach the public ingestion endpoints over HTTPS.
/// </summary>
public static class AzureMonitorExport
{
    public const string Variable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The Key Vault secret and the Kubernetes Secret the driver syncs it into (infra/modules/key-vault.bicep).</summary>
    public const string SecretName = "appinsights-connection-string";

    /// <summary>Azure Monitor's ingestion endpoints are public HTTPS endpoints with changing addresses: no narrower peer exists.</summary>
    public const int Port = 443;

    /// <summary>
    /// What the egress to Azure Monitor excludes: the private ranges (the cluster's pods, services and nodes, and the
    /// virtual network) and link-local addresses (the instance metadata service), so the rule opens the internet only.
    /// </summary>
    public static readonly IReadOnlyList<string> ExcludedNetworks = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"];

    /// <summary>Optional: without it the app still serves, exporting only to its OTLP endpoint, if any.</summary>
    internal static SecretVariable SecretVariable => new(Variable, SecretName, "value", Optional: true);
}
