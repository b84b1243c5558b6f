using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>Production's extras for a workload that autoscales.</summary>
internal static class ScalingMapping
{
    public static V2HorizontalPodAutoscaler ToAutoscaler(this Workload workload, Autoscaling scaling) => new V2HorizontalPodAutoscaler
    {
        Metadata = Labels.Metadata(workload.Name, workload.Name),
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = workload.Name },
            MinReplicas = scaling.MinReplicas,
            MaxReplicas = scaling.MaxReplicas,
            Metrics =
            [
                new V2MetricSpec
                {
                    Type = "Resource",
                    Resource = new V2ResourceMetricSource
                    {
                        Name = "cpu",
                        Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = scaling.TargetCpuUtilizationPercent },
                    },
                },
            ],
        },
    }.Initialize();

    /// <summary>Voluntary disruptions (node drains, upgrades) take at most one pod at a time.</summary>
    public static V1PodDisruptionBudget ToDisruptionBudget(this Workload workload) => new V1PodDisruptionBudget
    {
        Metadata = Labels.Metadata(workload.Name, workload.Name),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MaxUnavailable = 1,
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) },
        },
    }.Initialize();

    /// <summary>
    /// Spreads replicas across nodes. ScheduleAnyway: a one-node cluster still runs them all rather than leaving
    /// pods pending.
    /// </summary>
    public static V1TopologySpreadConstraint TopologySpread(this Workload workload) => new()
    {
        MaxSkew = 1,
        TopologyKey = "kubernetes.io/hostname",
        WhenUnsatisfiable = "ScheduleAnyway",
        LabelSelector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) },
    };
}
