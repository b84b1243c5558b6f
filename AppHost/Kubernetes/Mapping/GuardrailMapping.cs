using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>
/// What an environment's namespace enforces besides the Pod Security Standard (namespace.yaml): a quota that fits the
/// app at its largest (every autoscaler at its maximum during a rolling update) and nothing more, and defaults for
/// containers that declare no resources (e.g. <c>kubectl debug</c>'s), which the quota would otherwise reject.
/// </summary>
internal static class GuardrailMapping
{
    /// <summary>A Deployment's default maxSurge: 25% of its replicas, rounded up, run on top of them while it rolls.</summary>
    private const decimal RollingUpdateSurge = 0.25m;

    /// <summary>The most pods a workload runs in the environment: its replicas or autoscaling maximum, plus the surge.</summary>
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
        return replicas + (int)Math.Ceiling(replicas * RollingUpdateSurge);
    }

    public static V1ResourceQuota Quota(DeploymentEnvironment environment, IReadOnlyList<Workload> workloads)
    {
        var pods = workloads.Select(w => (Workload: w, Pods: MaxPods(w, environment))).ToList();
        decimal Sum(Func<ComputeResources, string> quantity) =>
            pods.Sum(p => p.Pods * new ResourceQuantity(quantity(p.Workload.Kubernetes.Resources)).ToDecimal());
        var claims = workloads.Where(w => w.Kubernetes.Storage is not null).ToList();

        var sizing = string.Join(", ", pods.Select(p => $"{p.Workload.Name} {p.Pods}"));
        return new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta
            {
                Name = "app-quota",
                Labels = new Dictionary<string, string> { [Labels.Component] = Labels.Guardrails },
                Annotations = new Dictionary<string, string>
                {
                    ["description"] = $"Pods at most (replicas or autoscaling maximum, plus a 25% rolling-update surge): {sizing}. "
                        + "Sums of their requests and limits. No LoadBalancer or NodePort Services: traffic enters through the Gateway.",
                },
            },
            Spec = new V1ResourceQuotaSpec
            {
                Hard = new Dictionary<string, ResourceQuantity>
                {
                    ["pods"] = new(pods.Sum(p => p.Pods).ToString(CultureInfo.InvariantCulture)),
                    ["requests.cpu"] = Millicores(Sum(r => r.CpuRequest)),
                    ["limits.cpu"] = Millicores(Sum(r => r.CpuLimit)),
                    ["requests.memory"] = Mebibytes(Sum(r => r.MemoryRequest)),
                    ["limits.memory"] = Mebibytes(Sum(r => r.MemoryLimit)),
                    ["persistentvolumeclaims"] = new(claims.Sum(w => w.Replicas).ToString(CultureInfo.InvariantCulture)),
                    ["requests.storage"] = Mebibytes(claims.Sum(w => w.Replicas * new ResourceQuantity(w.Kubernetes.Storage!.Size).ToDecimal())),
                    ["services.loadbalancers"] = new("0"),
                    ["services.nodeports"] = new("0"),
                },
            },
        }.Initialize();
    }

    /// <summary>
    /// Defaults for a container that declares no resources (the app's all do), and a ceiling no container may exceed:
    /// the largest limit the app's workloads set.
    /// </summary>
    public static V1LimitRange Limits(IReadOnlyList<Workload> workloads)
    {
        var largestCpu = workloads.Select(w => w.Kubernetes.Resources.CpuLimit).MaxBy(q => new ResourceQuantity(q).ToDecimal())!;
        var largestMemory = workloads.Select(w => w.Kubernetes.Resources.MemoryLimit).MaxBy(q => new ResourceQuantity(q).ToDecimal())!;
        var small = ComputeResources.Small;
        return new V1LimitRange
        {
            Metadata = new V1ObjectMeta
            {
                Name = "container-limits",
                Labels = new Dictionary<string, string> { [Labels.Component] = Labels.Guardrails },
            },
            Spec = new V1LimitRangeSpec
            {
                Limits =
                [
                    new V1LimitRangeItem
                    {
                        Type = "Container",
                        DefaultRequest = Quantities(small.CpuRequest, small.MemoryRequest),
                        DefaultProperty = Quantities(small.CpuLimit, small.MemoryLimit),
                        Max = Quantities(largestCpu, largestMemory),
                    },
                ],
            },
        }.Initialize();
    }

    private static Dictionary<string, ResourceQuantity> Quantities(string cpu, string memory) => new()
    {
        ["cpu"] = new ResourceQuantity(cpu),
        ["memory"] = new ResourceQuantity(memory),
    };

    private static ResourceQuantity Millicores(decimal cores) =>
        new($"{decimal.ToInt64(decimal.Ceiling(cores * 1000)).ToString(CultureInfo.InvariantCulture)}m");

    private static ResourceQuantity Mebibytes(decimal bytes) =>
        new($"{decimal.ToInt64(decimal.Ceiling(bytes / (1024 * 1024))).ToString(CultureInfo.InvariantCulture)}Mi");
}
