using Voting.AppHost.Kubernetes.Model;

namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>
/// Telemetry to Azure Monitor: the service defaults export there whenever <see cref="Variable"/> is set. In the
/// cluster it comes from the environment's Key Vault (secret <see cref="SecretName"/>, written by infra/), and the
/// workload's NetworkPolicy lets it reach the public ingestion endpoints over HTTPS (networkpolicy-azure-monitor-egress.yaml).
/// </summary>
public static class AzureMonitorExport
{
    public const string Variable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The Key Vault secret and the Kubernetes Secret the driver syncs it into (infra/modules/key-vault.bicep).</summary>
    public const string SecretName = "appinsights-connection-string";

    /// <summary>Optional: without it the app still serves, exporting only to its OTLP endpoint, if any.</summary>
    internal static SecretVariable SecretVariable => new(Variable, SecretName, "value", Optional: true);
}
