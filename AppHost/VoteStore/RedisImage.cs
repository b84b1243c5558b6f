namespace Voting.AppHost.VoteStore;

/// <summary>The Redis image the AppHost's container and the Kubernetes manifests run, and the tests' default one.</summary>
internal static class RedisImage
{
    public const string Tag = "8.6";

    /// <summary>The image as a container engine names it (what Aspire.Hosting.Redis asks for, with our tag).</summary>
    public const string FullName = $"docker.io/library/redis:{Tag}";
}
