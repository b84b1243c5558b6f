namespace Voting.AppHost.VoteStore;

/// <summary>Asks the container runtime Aspire would use whether its engine answers.</summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>The runtime's name (Aspire's DOTNET_ASPIRE_CONTAINER_RUNTIME, docker by default).</summary>
    public static string Name(IConfiguration configuration) =>
        configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } name ? name : "docker";

    /// <summary>
    /// True when <c>RUNTIME info</c> succeeds in time. A CLI without an engine behind it fails fast,
    /// which is exactly the case where Aspire would otherwise wait forever on "Runtime unhealthy".
    /// </summary>
    public static bool IsAvailable(string runtime) =>
        LocalMachine.TryRun(runtime, ["info", "--format", "{{.ServerVersion}}"], s_timeout) is not null;
}
