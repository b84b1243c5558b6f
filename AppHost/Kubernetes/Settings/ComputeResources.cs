namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>Kubernetes quantities, e.g. <c>100m</c> CPU and <c>128Mi</c> memory.</summary>
public sealed record ComputeResources(string CpuRequest, string MemoryRequest, string CpuLimit, string MemoryLimit)
{
    public static ComputeResources Small { get; } = new("50m", "64Mi", "250m", "128Mi");
}
