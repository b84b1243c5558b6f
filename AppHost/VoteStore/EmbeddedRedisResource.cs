namespace Voting.AppHost.VoteStore;

/// <summary>
/// The vote store served by <see cref="EmbeddedRedisServer"/> inside the AppHost, on a port chosen when the model is built.
/// </summary>
public sealed class EmbeddedRedisResource(string name, int port) : Resource(name), IResourceWithConnectionString
{
    public int Port { get; } = port;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
}
