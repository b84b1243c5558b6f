using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>
/// The sizes an environment's namespace enforces (the templates beside this class): a quota that fits the app at its
/// largest (every autoscaler at its maximum during a rolling update) and nothing more, and a container limit range.
/// </summary>
internal static class GuardrailMapping
{
    /// <summary>A Deployment's default maxSurge: 25% of its replicas, rounded up, run on top of them while it rolls.</summary>
    private const decimal RollingUpdateSurge = 0.25m;

    /// <summary>
    /// The most pods a workload has in the environment: its replicas or autoscaling maximum, and for a Deployment a
    /// rollout at that size: the surge of new pods on top, while as many old pods may still be terminating, which count
    /// against a quota until they are gone.
    /// </summary>
    public static int MaxPods(Workload workload, DeploymentEnvironment environment)
    {
        if (workload.Kubernetes.Storage is not null)
        {
            // A StatefulSet replaces its pods one by one, never adding one.
            return workload.Replicas;
        }

        var replicas = environment.IsProduction && workload.Kubernetes.ProductionAutoscaling is { } scaling
            ? scaling.MaxReplicas
            : workload.Replicas;
        return replicas + (int)Math.Ceiling(replicas * RollingUpdateSurge) + replicas;
    }

    public static ManifestObject Quota(DeploymentEnvironment environment, IReadOnlyList<Workload> workloads)
    {
        var pods = workloads.Select(w => (Workload: w, Pods: MaxPods(w, environment))).ToList();
        decimal Sum(Func<ComputeResources, string> quantity) => pods.Sum(p => p.Pods * Decimal(quantity(p.Workload.Kubernetes.Resources)));
        var claims = workloads.Where(w => w.Kubernetes.Storage is not null).ToList();
        return Template.Object("Mapping/resourcequota.yaml", new()
        {
            ["Sizing"] = string.Join(", ", pods.Select(p => $"{p.Workload.Name} {p.Pods}")),
            ["Pods"] = pods.Sum(p => p.Pods),
            ["RequestsCpu"] = Millicores(Sum(r => r.CpuRequest)),
            ["LimitsCpu"] = Millicores(Sum(r => r.CpuLimit)),
            ["RequestsMemory"] = Mebibytes(Sum(r => r.MemoryRequest)),
            ["LimitsMemory"] = Mebibytes(Sum(r => r.MemoryLimit)),
            ["Claims"] = claims.Sum(w => w.Replicas),
            ["RequestsStorage"] = Mebibytes(claims.Sum(w => w.Replicas * Decimal(w.Kubernetes.Storage!.Size))),
        });
    }

    /// <summary>Containers that declare nothing get <see cref="ComputeResources.Small"/>; none may exceed the largest limit the app sets.</summary>
    public static ManifestObject Limits(IReadOnlyList<Workload> workloads)
    {
        string Largest(Func<ComputeResources, string> quantity) => Canonical(workloads.Select(w => quantity(w.Kubernetes.Resources)).MaxBy(Decimal)!);
        var small = ComputeResources.Small;
        return Template.Object("Mapping/limitrange.yaml", new()
        {
            ["DefaultCpu"] = Canonical(small.CpuLimit),
            ["DefaultMemory"] = Canonical(small.MemoryLimit),
            ["DefaultCpuRequest"] = Canonical(small.CpuRequest),
            ["DefaultMemoryRequest"] = Canonical(small.MemoryRequest),
            ["MaxCpu"] = Largest(r => r.CpuLimit),
            ["MaxMemory"] = Largest(r => r.MemoryLimit),
        });
    }

    private static decimal Decimal(string quantity) => new ResourceQuantity(quantity).ToDecimal();

    private static string Canonical(string quantity) => new ResourceQuantity(quantity).ToString();

    private static string Millicores(decimal cores) => Canonical($"{decimal.ToInt64(decimal.Ceiling(cores * 1000)).ToString(CultureInfo.InvariantCulture)}m");

    private static string Mebibytes(decimal bytes) => Canonical($"{decimal.ToInt64(decimal.Ceiling(bytes / (1024 * 1024))).ToString(CultureInfo.InvariantCulture)}Mi");
}
