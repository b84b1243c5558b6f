namespace Voting.AppHost.VoteStore;

/// <summary>How the AppHost provides the Redis the Api keeps its votes in. Set with <c>VoteStore:Mode</c>.</summary>
public enum VoteStoreMode
{
    /// <summary>A Redis container when a container runtime answers; otherwise the embedded server.</summary>
    Auto,

    /// <summary>The Redis container image, the same one the Kubernetes manifests deploy.</summary>
    Container,

    /// <summary>Garnet, a Redis-compatible server, inside the AppHost process: needs nothing but the .NET SDK.</summary>
    Embedded,

    /// <summary>A <c>redis-server</c> found on PATH, run as a local process.</summary>
    RedisServer,
}
