namespace Voting.AppHost.Kubernetes.Kustomize;

/// <summary>
/// A kustomization.yaml. Properties are declared in the order <c>kustomize edit</c> writes them, and false or
/// empty fields are left out as it does, so CI's <c>kustomize edit set image</c> changes only the lines it must.
/// </summary>
public sealed class Kustomization
{
    public string ApiVersion { get; set; } = "kustomize.config.k8s.io/v1beta1";

    public string Kind { get; set; } = "Kustomization";

    public List<string>? Resources { get; set; }

    public string? Namespace { get; set; }

    public List<KustomizeLabel>? Labels { get; set; }

    public List<KustomizePatch>? Patches { get; set; }

    public List<KustomizeImage>? Images { get; set; }

    public List<KustomizeReplica>? Replicas { get; set; }
}

/// <summary>Labels for every object, not added to selectors (those cannot change after the first apply).</summary>
public sealed class KustomizeLabel
{
    public SortedDictionary<string, string>? Pairs { get; set; }
}

public sealed class KustomizePatch
{
    public string? Path { get; set; }

    public KustomizeTarget? Target { get; set; }
}

public sealed class KustomizeTarget
{
    public string? Kind { get; set; }

    public string? Name { get; set; }
}

/// <summary>Maps an image name of the base to a registry repository and tag (or digest).</summary>
public sealed class KustomizeImage
{
    public string? Name { get; set; }

    public string? NewName { get; set; }

    public string? NewTag { get; set; }

    public string? Digest { get; set; }
}

public sealed class KustomizeReplica
{
    public string? Name { get; set; }

    public int Count { get; set; }
}
