namespace Voting.Api.RedisPassword;

/// <summary>
/// Where the Redis password can change while the Api runs. In Kubernetes it is the Key Vault mount, which the Secrets
/// Store CSI driver refreshes after a rotation; environment variables, the connection string's included, keep the value
/// the pod started with. Unset (a local run, the AppHost): the connection string's password is the only one.
/// </summary>
public sealed class RedisPasswordSettings
{
    public const string SectionName = "RedisPassword";

    /// <summary>The file that holds the password and nothing else, e.g. <c>/mnt/key-vault/redis-password</c>.</summary>
    public string? File { get; set; }

    /// <summary>How often the file is read. It adds to the driver's own poll before the Api uses a new password.</summary>
    public int CheckIntervalSeconds { get; set; } = 5;
}
