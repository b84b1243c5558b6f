namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>The Pod Security Standards "restricted" profile, for every pod and container the manifests define.</summary>
internal static class PodSecurity
{
    private static V1SeccompProfile RuntimeDefault => new() { Type = "RuntimeDefault" };

    public static V1PodSecurityContext Pod(long user) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = user,
        // Volumes (the Redis claim) become writable by the container's group.
        FsGroup = user,
        SeccompProfile = RuntimeDefault,
    };

    public static V1SecurityContext Container(long user) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = user,
        AllowPrivilegeEscalation = false,
        Privileged = false,
        ReadOnlyRootFilesystem = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = RuntimeDefault,
    };
}
