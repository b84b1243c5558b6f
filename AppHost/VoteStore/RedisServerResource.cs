namespace Voting.AppHost.VoteStore;

/// <summary>A <c>redis-server</c> from PATH, run by Aspire as a local process on a port it allocates.</summary>
public sealed class RedisServerResource(string name, string workingDirectory)
    : ExecutableResource(name, ExecutableName, workingDirectory), IResourceWithConnectionString
{
    internal const string ExecutableName = "redis-server";

    internal const string PrimaryEndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
