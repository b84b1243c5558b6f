namespace Voting.AppHost.Kubernetes;

/// <summary>The Azure side shared by every environment.</summary>
public sealed class AzureTenantSettings
{
    /// <summary>The Entra ID tenant (a GUID) that issues the workload identities' tokens and owns the Key Vaults.</summary>
    public string? TenantId { get; set; }
}
