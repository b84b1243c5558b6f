namespace Voting.AppHost.Kubernetes.Model;

/// <summary>A named port: the container listens on it and the workload's Service exposes it with the same number.</summary>
internal sealed record WorkloadPort(string Name, int Port);
