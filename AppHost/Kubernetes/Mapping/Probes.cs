using Voting.AppHost.Kubernetes.Model;

namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>
/// Readiness, liveness and startup probes: HTTP paths where the workload has them, else a TCP connect; readiness may
/// be a command instead (a port can open before the workload can serve).
/// </summary>
internal static class Probes
{
    public static V1Probe Readiness(Workload workload) => workload.Kubernetes.ReadinessCommand is { } command
        ? new V1Probe
        {
            Exec = new V1ExecAction { Command = [.. command.Command] },
            PeriodSeconds = 5,
            TimeoutSeconds = 2,
            FailureThreshold = 3,
        }
        : Probe(workload, workload.HttpProbes?.ReadinessPath, periodSeconds: 5, failureThreshold: 3);

    public static V1Probe Liveness(Workload workload) =>
        Probe(workload, workload.HttpProbes?.LivenessPath, periodSeconds: 10, failureThreshold: 3);

    /// <summary>Allows a minute to start, so liveness never kills a pod that is still starting.</summary>
    public static V1Probe Startup(Workload workload) =>
        Probe(workload, workload.HttpProbes?.LivenessPath, periodSeconds: 2, failureThreshold: 30);

    private static V1Probe Probe(Workload workload, string? path, int periodSeconds, int failureThreshold)
    {
        var port = workload.PrimaryPort.Name;
        return new V1Probe
        {
            HttpGet = path is null ? null : new V1HTTPGetAction { Path = path, Port = port },
            TcpSocket = path is null ? new V1TCPSocketAction { Port = port } : null,
            PeriodSeconds = periodSeconds,
            TimeoutSeconds = 2,
            FailureThreshold = failureThreshold,
        };
    }
}
