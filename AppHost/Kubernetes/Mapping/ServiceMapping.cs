using Voting.AppHost.Kubernetes.Model;

namespace Voting.AppHost.Kubernetes.Mapping;

internal static class ServiceMapping
{
    /// <summary>A ClusterIP Service named after the resource: the host name the other workloads' settings use.</summary>
    public static V1Service ToService(this Workload workload) => new V1Service
    {
        Metadata = Labels.Metadata(workload.Name, workload.Name),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = Labels.Selector(workload.Name),
            Ports = [.. workload.Ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.Name, Protocol = "TCP" })],
        },
    }.Initialize();

    public static string HeadlessServiceName(this Workload workload) => $"{workload.Name}-headless";

    /// <summary>
    /// The StatefulSet's governing Service: no cluster IP, one DNS record per pod (<c>redis-0.redis-headless</c>).
    /// Clients keep using the ClusterIP Service.
    /// </summary>
    public static V1Service ToHeadlessService(this Workload workload) => new V1Service
    {
        Metadata = Labels.Metadata(workload.HeadlessServiceName(), workload.Name),
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            Selector = Labels.Selector(workload.Name),
            Ports = [.. workload.Ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, TargetPort = p.Name, Protocol = "TCP" })],
        },
    }.Initialize();
}
