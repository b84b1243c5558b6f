namespace Voting.AppHost.Kubernetes.Flux;

/// <summary>A Flux notification Provider (notification.toolkit.fluxcd.io/v1beta3): where and how events are sent.</summary>
[KubernetesEntity(Group = "notification.toolkit.fluxcd.io", ApiVersion = "v1beta3", Kind = "Provider", PluralName = "providers")]
public sealed class FluxProvider : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public FluxProviderSpec Spec { get; set; } = new();
}

public sealed class FluxProviderSpec
{
    public string? Type { get; set; }

    public string? Address { get; set; }

    public FluxNamedReference? SecretRef { get; set; }

    /// <summary>A CEL expression giving the commit status context (github, gitlab... providers).</summary>
    public string? CommitStatusExpr { get; set; }
}

/// <summary>A Flux Alert (notification.toolkit.fluxcd.io/v1beta3): which objects' events go to a Provider.</summary>
[KubernetesEntity(Group = "notification.toolkit.fluxcd.io", ApiVersion = "v1beta3", Kind = "Alert", PluralName = "alerts")]
public sealed class FluxAlert : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public FluxAlertSpec Spec { get; set; } = new();
}

public sealed class FluxAlertSpec
{
    public FluxNamedReference? ProviderRef { get; set; }

    public string? EventSeverity { get; set; }

    public List<FluxObjectReference>? EventSources { get; set; }
}

/// <summary>A Flux Receiver (notification.toolkit.fluxcd.io/v1): a webhook that makes a source fetch at once.</summary>
[KubernetesEntity(Group = "notification.toolkit.fluxcd.io", ApiVersion = "v1", Kind = "Receiver", PluralName = "receivers")]
public sealed class FluxReceiver : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public FluxReceiverSpec Spec { get; set; } = new();
}

public sealed class FluxReceiverSpec
{
    public string? Type { get; set; }

    public List<string>? Events { get; set; }

    public FluxNamedReference? SecretRef { get; set; }

    public List<FluxObjectReference>? Resources { get; set; }
}
