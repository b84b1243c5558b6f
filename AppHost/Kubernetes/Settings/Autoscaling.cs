namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>Scales between the bounds to keep average CPU use near the target (percent of the request).</summary>
public sealed record Autoscaling(int MinReplicas, int MaxReplicas, int TargetCpuUtilizationPercent = 70);
