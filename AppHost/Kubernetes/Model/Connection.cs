namespace Voting.AppHost.Kubernetes.Model;

/// <summary>A call from one workload to <paramref name="Target"/> on <paramref name="Port"/>, found in the model's references.</summary>
internal sealed record Connection(string Target, int Port);
