namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>
/// A readiness check run inside the container (exit 0: ready), for workloads whose port opens before they can serve.
/// <paramref name="SecretVariables"/> maps variables the command reads to secret variables the workload already has,
/// so a password reaches the command from the Secret, never through the pod spec.
/// </summary>
public sealed record ReadinessCommand(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string>? SecretVariables = null);
