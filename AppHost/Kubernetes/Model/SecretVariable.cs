namespace Voting.AppHost.Kubernetes.Model;

/// <summary>An environment variable filled from key <paramref name="Key"/> of Secret <paramref name="SecretName"/>.</summary>
internal sealed record SecretVariable(string Name, string SecretName, string Key);
