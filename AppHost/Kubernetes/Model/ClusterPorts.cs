namespace Voting.AppHost.Kubernetes.Model;

/// <summary>Which of a resource's endpoints exist in the cluster, and on which port.</summary>
internal static class ClusterPorts
{
    /// <summary>
    /// Projects have no ports in publish mode, so they get one: 8080, the .NET container images' default. Only their
    /// plain HTTP endpoint is deployed; TLS ends at the Gateway.
    /// </summary>
    public const int ProjectHttpPort = 8080;

    public static IReadOnlyList<WorkloadPort> Of(IResource resource)
    {
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>();
        return resource is ProjectResource
            ? endpoints.Where(e => e.UriScheme == "http").Select(e => new WorkloadPort(e.Name, ProjectHttpPort)).Take(1).ToList()
            : endpoints.Where(e => e.TargetPort is not null).Select(e => new WorkloadPort(e.Name, e.TargetPort!.Value)).ToList();
    }
}
