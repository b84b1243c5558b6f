using YamlDotNet.Serialization;

namespace Voting.AppHost.Kubernetes.ArgoCd;

/// <summary>An Argo CD Application (argoproj.io/v1alpha1): the fields these manifests use.</summary>
[KubernetesEntity(Group = "argoproj.io", ApiVersion = "v1alpha1", Kind = "Application", PluralName = "applications")]
public sealed class ArgoApplication : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ApplicationSpec Spec { get; set; } = new();
}

public sealed class ApplicationSpec
{
    public string? Project { get; set; }

    public ApplicationSource? Source { get; set; }

    public ApplicationDestination? Destination { get; set; }

    public SyncPolicy? SyncPolicy { get; set; }
}

public sealed class ApplicationSource
{
    [YamlMember(Alias = "repoURL", ApplyNamingConventions = false)]
    public string? RepoUrl { get; set; }

    public string? TargetRevision { get; set; }

    public string? Path { get; set; }

    public ApplicationSourceDirectory? Directory { get; set; }
}

/// <summary>A plain-YAML source: which files of the folder are manifests.</summary>
public sealed class ApplicationSourceDirectory
{
    public string? Include { get; set; }
}

public sealed class ApplicationDestination
{
    public string? Server { get; set; }

    public string? Namespace { get; set; }
}

public sealed class SyncPolicy
{
    public AutomatedSync? Automated { get; set; }

    public List<string>? SyncOptions { get; set; }

    public SyncRetry? Retry { get; set; }
}

public sealed class AutomatedSync
{
    public bool Prune { get; set; }

    public bool SelfHeal { get; set; }
}

public sealed class SyncRetry
{
    public int Limit { get; set; }

    public RetryBackoff? Backoff { get; set; }
}

public sealed class RetryBackoff
{
    public string? Duration { get; set; }

    public int Factor { get; set; }

    public string? MaxDuration { get; set; }
}
