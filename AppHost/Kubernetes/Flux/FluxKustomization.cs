namespace Voting.AppHost.Kubernetes.Flux;

/// <summary>A Flux Kustomization (kustomize.toolkit.fluxcd.io/v1): applies one folder of a source, and keeps it applied.</summary>
[KubernetesEntity(Group = "kustomize.toolkit.fluxcd.io", ApiVersion = "v1", Kind = "Kustomization", PluralName = "kustomizations")]
public sealed class FluxKustomization : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public FluxKustomizationSpec Spec { get; set; } = new();
}

public sealed class FluxKustomizationSpec
{
    public string? Interval { get; set; }

    public string? RetryInterval { get; set; }

    public string? Timeout { get; set; }

    public string? Path { get; set; }

    public bool Prune { get; set; }

    public bool Wait { get; set; }

    public FluxObjectReference? SourceRef { get; set; }

    public List<FluxNamedReference>? DependsOn { get; set; }
}

/// <summary>A reference to a Flux object by kind and name (<c>sourceRef</c>, <c>eventSources</c>, <c>resources</c>).</summary>
public sealed class FluxObjectReference
{
    public string? Kind { get; set; }

    public string? Name { get; set; }
}

/// <summary>A reference by name only (<c>dependsOn</c>, <c>providerRef</c>, <c>secretRef</c>).</summary>
public sealed class FluxNamedReference
{
    public string? Name { get; set; }
}
