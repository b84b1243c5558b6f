using Voting.AppHost.Kubernetes.Model;

namespace Voting.AppHost.Kubernetes.Mapping;

internal static class ServiceMapping
{
    /// <summary>
    /// A ClusterIP Service named after the resource: the host name the other workloads' settings use. Headless, it is
    /// a StatefulSet's governing Service (<c>redis-headless</c>): no cluster IP, one DNS record per pod; clients keep
    /// using the ClusterIP one.
    /// </summary>
    public static V1Service ToService(this Workload workload, bool headless = false) => new V1Service
    {
        Metadata = Labels.Metadata(headless ? workload.HeadlessServiceName() : workload.Name, workload.Name),
        Spec = new V1ServiceSpec
        {
            Type = headless ? null : "ClusterIP",
            ClusterIP = headless ? "None" : null,
            Selector = Labels.Selector(workload.Name),
            Ports = [.. workload.Ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.Name, Protocol = "TCP" })],
        },
    }.Initialize();

    public static string HeadlessServiceName(this Workload workload) => $"{workload.Name}-headless";
}
