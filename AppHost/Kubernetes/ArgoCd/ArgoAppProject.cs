namespace Voting.AppHost.Kubernetes.ArgoCd;

/// <summary>An Argo CD AppProject (argoproj.io/v1alpha1): which repositories, namespaces and kinds its Applications may use.</summary>
[KubernetesEntity(Group = "argoproj.io", ApiVersion = "v1alpha1", Kind = "AppProject", PluralName = "appprojects")]
public sealed class ArgoAppProject : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public AppProjectSpec Spec { get; set; } = new();
}

public sealed class AppProjectSpec
{
    public string? Description { get; set; }

    public List<string>? SourceRepos { get; set; }

    public List<ApplicationDestination>? Destinations { get; set; }

    public List<GroupKind>? ClusterResourceWhitelist { get; set; }

    public List<GroupKind>? NamespaceResourceWhitelist { get; set; }
}

public sealed class GroupKind
{
    public string? Group { get; set; }

    public string? Kind { get; set; }
}
