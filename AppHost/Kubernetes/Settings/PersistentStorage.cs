namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>A volume of <paramref name="Size"/> (e.g. <c>1Gi</c>) mounted at <paramref name="MountPath"/>, kept across pod restarts.</summary>
public sealed record PersistentStorage(string MountPath, string Size);
