namespace Voting.AppHost.VoteStore;

/// <summary>
/// The vote store served by <see cref="EmbeddedRedisServer"/> inside the AppHost, on the port the server bound when the
/// resource started. Its connection string is read only after that: the Api and the Web wait for this resource.
/// </summary>
public sealed class EmbeddedRedisResource(string name) : Resource(name), IResourceWithConnectionString
{
    /// <summary>The bound port; 0 until the resource has started.</summary>
    public int Port { get; internal set; }

    public ReferenceExpression ConnectionStringExpression =>
        Port == 0
            ? throw new InvalidOperationException($"The connection string of '{Name}' is read before its server started.")
            : ReferenceExpression.Create($"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
}
