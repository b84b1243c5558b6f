namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>Readiness answers "may I get traffic", liveness "should I be restarted"; startup uses the liveness path.</summary>
public sealed record HttpProbes(string ReadinessPath, string LivenessPath)
{
    /// <summary>The paths ServiceDefaults' <c>MapDefaultEndpoints</c> maps in every environment.</summary>
    public static HttpProbes ServiceDefaults { get; } = new("/health", "/alive");
}
