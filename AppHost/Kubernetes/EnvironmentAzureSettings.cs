namespace Voting.AppHost.Kubernetes;

/// <summary>
/// What one environment's manifests need from its Azure deployment (the <c>kubernetesEnvironments</c> output of
/// infra/main.bicep, which infra/bootstrap.sh writes into AppHost/appsettings.json): ids and names, never secrets.
/// </summary>
public sealed class EnvironmentAzureSettings
{
    /// <summary>The environment's Key Vault, which holds its Redis password and Application Insights connection string.</summary>
    public string? KeyVaultName { get; set; }

    /// <summary>Client id of the environment's workload identity: its pods' service account is federated with it.</summary>
    public string? WorkloadClientId { get; set; }
}
