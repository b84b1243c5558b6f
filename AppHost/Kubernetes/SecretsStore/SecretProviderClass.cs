namespace Voting.AppHost.Kubernetes.SecretsStore;

/// <summary>
/// A Secrets Store CSI driver SecretProviderClass (secrets-store.csi.x-k8s.io/v1): which provider to ask for which
/// objects, and which Kubernetes Secrets to sync from them while a pod mounts the class.
/// </summary>
[KubernetesEntity(Group = "secrets-store.csi.x-k8s.io", ApiVersion = "v1", Kind = "SecretProviderClass", PluralName = "secretproviderclasses")]
public sealed class SecretProviderClass : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public SecretProviderClassSpec Spec { get; set; } = new();
}

public sealed class SecretProviderClassSpec
{
    /// <summary><c>azure</c>: the Azure Key Vault provider the AKS add-on installs.</summary>
    public string? Provider { get; set; }

    /// <summary>Provider-specific strings; for Azure <c>clientID</c>, <c>keyvaultName</c>, <c>tenantId</c>, <c>objects</c>.</summary>
    public SortedDictionary<string, string>? Parameters { get; set; }

    public List<SecretObject>? SecretObjects { get; set; }
}

/// <summary>A Kubernetes Secret the driver creates (and updates on rotation) from mounted objects.</summary>
public sealed class SecretObject
{
    public string? SecretName { get; set; }

    public string? Type { get; set; }

    public List<SecretObjectData>? Data { get; set; }
}

/// <summary>One key of a synced Secret and the mounted object (by name or alias) that fills it.</summary>
public sealed class SecretObjectData
{
    public string? ObjectName { get; set; }

    public string? Key { get; set; }
}
