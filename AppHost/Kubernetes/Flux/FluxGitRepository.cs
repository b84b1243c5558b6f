namespace Voting.AppHost.Kubernetes.Flux;

/// <summary>A Flux GitRepository (source.toolkit.fluxcd.io/v1): the fields these manifests use.</summary>
[KubernetesEntity(Group = "source.toolkit.fluxcd.io", ApiVersion = "v1", Kind = "GitRepository", PluralName = "gitrepositories")]
public sealed class FluxGitRepository : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public GitRepositorySpec Spec { get; set; } = new();
}

public sealed class GitRepositorySpec
{
    public string? Interval { get; set; }

    public string? Url { get; set; }

    public GitRepositoryRef? Ref { get; set; }

    /// <summary>gitignore-style patterns of what to leave out of the artifact.</summary>
    public string? Ignore { get; set; }
}

public sealed class GitRepositoryRef
{
    public string? Branch { get; set; }
}
