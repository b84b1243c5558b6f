namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>Carries a resource's <see cref="KubernetesWorkloadSettings"/> in the app model.</summary>
public sealed class KubernetesWorkloadAnnotation : IResourceAnnotation
{
    public KubernetesWorkloadSettings Settings { get; } = new();
}
