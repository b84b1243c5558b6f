namespace Voting.AppHost.Kubernetes.Settings;

public static class KubernetesWorkloadExtensions
{
    /// <summary>
    /// Sets what the resource needs in Kubernetes (see <see cref="KubernetesWorkloadSettings"/>). Several calls
    /// edit the same settings. Only the generated manifests read them: a local run is unchanged.
    /// </summary>
    public static IResourceBuilder<T> WithKubernetes<T>(
        this IResourceBuilder<T> builder, Action<KubernetesWorkloadSettings> configure)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var annotation = builder.Resource.Annotations.OfType<KubernetesWorkloadAnnotation>().SingleOrDefault();
        if (annotation is null)
        {
            annotation = new KubernetesWorkloadAnnotation();
            builder.WithAnnotation(annotation);
        }

        configure(annotation.Settings);
        return builder;
    }

    /// <summary>The resource's settings, or the defaults when it has none.</summary>
    internal static KubernetesWorkloadSettings GetKubernetesSettings(this IResource resource) =>
        resource.Annotations.OfType<KubernetesWorkloadAnnotation>().SingleOrDefault()?.Settings ?? new();
}

/// <summary>Carries a resource's <see cref="KubernetesWorkloadSettings"/> in the app model.</summary>
public sealed class KubernetesWorkloadAnnotation : IResourceAnnotation
{
    public KubernetesWorkloadSettings Settings { get; } = new();
}
