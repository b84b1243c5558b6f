namespace Voting.AppHost.Kubernetes.Model;

/// <summary>
/// An environment variable filled from key <paramref name="Key"/> of Secret <paramref name="SecretName"/>.
/// <paramref name="Optional"/>: the app runs without it, so a missing Secret leaves the variable unset.
/// </summary>
internal sealed record SecretVariable(string Name, string SecretName, string Key, bool Optional = false);
