using Microsoft.Extensions.Options;

namespace Voting.Api.RedisPassword;

/// <summary>
/// Follows the Redis password file (<see cref="RedisPasswordSettings.File"/>), so a new password in Key Vault needs no
/// coordinated restart: Redis, the Api's replicas and the driver's copies of the secret may each change over at their
/// own moment.
/// </summary>
/// <remarks>
/// <para>When the file holds a new password, Redis is first told to accept it beside the one before, and no other
/// (<c>ACL SETUSER default resetpass &gt;previous &gt;current</c>, through a connection either opens), then every new
/// connection uses it. Connections already open stay authenticated: Redis checks a password only when one is given.</para>
/// <para>While the Api has no connection it checks that Redis still accepts the current password. If Redis restarted on
/// the previous one (its Secret not yet synced), the Api signs in with that and adds the current one, removing none,
/// since another replica may not have switched yet.</para>
/// </remarks>
internal sealed class RedisPasswordRotation(
    IOptions<RedisPasswordSettings> settings, IOptions<ConfigurationOptions> redisOptions, IConnectionMultiplexer redis,
    ILogger<RedisPasswordRotation> logger) : BackgroundService
{
    private string? _previous;

    /// <summary>
    /// The very object the multiplexer connected with: Aspire hands <c>IOptions&lt;ConfigurationOptions&gt;.Value</c> to
    /// <c>ConnectionMultiplexer.Connect</c>, which keeps it, not a copy, and reads its password at every handshake
    /// (StackExchange.Redis <c>ServerEndPoint.HandshakeAsync</c>). Changing it changes what every new connection sends.
    /// </summary>
    private ConfigurationOptions Connection => redisOptions.Value;

    private string User => Connection.User ?? "default";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.Value.File is not { Length: > 0 } file)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(settings.Value.CheckIntervalSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await FollowAsync(file, stoppingToken);
                await Task.Delay(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FollowAsync(string file, CancellationToken cancel)
    {
        var current = await ReadAsync(file, cancel);
        if (current is not null && !string.Equals(current, Connection.Password, StringComparison.Ordinal))
        {
            _previous = Connection.Password;
            string[] both = [.. new[] { _previous, current }.OfType<string>().Where(p => p.Length > 0).Select(p => ">" + p)];
            if (await SetUserAsync(current, ["resetpass", .. both], cancel) == false
                && (_previous is null || await SetUserAsync(_previous, ["resetpass", .. both], cancel) == false))
            {
                logger.LogError("Redis refuses both the new and the previous password; new connections try the new one.");
            }

            Connection.Password = current;
            logger.LogInformation("The Redis password in {File} changed: new connections use the new one.", file);
        }
        else if (!redis.IsConnected && Connection.Password is { Length: > 0 } password
            && await SetUserAsync(password, [], cancel) == false)
        {
            // The client reports a refused password only on the first failure after a connection, hence the direct check.
            if (_previous is null || await SetUserAsync(_previous, [">" + password], cancel) == false)
            {
                logger.LogError("Redis refuses every password this Api knows. It waits for {File} to change, as the Key Vault mount does within one rotation poll.", file);
            }
        }
    }

    private async Task<string?> ReadAsync(string file, CancellationToken cancel)
    {
        try
        {
            var text = await File.ReadAllTextAsync(file, cancel);
            if (text.Length > 0)
            {
                return text;
            }

            logger.LogWarning("The Redis password file {File} is empty; the password in use is kept.", file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("The Redis password file {File} cannot be read ({Message}); the password in use is kept.", file, exception.Message);
        }

        return null;
    }

    /// <summary>Signs in to Redis with <paramref name="password"/> and, if any <paramref name="rules"/>, applies them with ACL SETUSER.</summary>
    /// <returns>True when done; false when Redis refused the password; null when Redis could not be asked (down, loading).</returns>
    private async Task<bool?> SetUserAsync(string password, string[] rules, CancellationToken cancel)
    {
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(SingleAttempt(password)).WaitAsync(cancel);
            if (rules.Length > 0)
            {
                await connection.GetDatabase().ExecuteAsync("ACL", ["SETUSER", User, .. rules]);
            }

            return true;
        }
        catch (RedisConnectionException exception) when (exception.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            return false;
        }
        catch (RedisException exception)
        {
            // The next check asks again if the Api still has no connection then.
            logger.LogDebug("Redis could not be asked about its passwords: {Message}", exception.Message);
            return null;
        }
    }

    /// <summary>One connection attempt with <paramref name="password"/>, failing at once, silent: the Api's own connection is the one to watch.</summary>
    private ConfigurationOptions SingleAttempt(string password)
    {
        var options = Connection.Clone();
        options.Password = password;
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.LoggerFactory = null;
        return options;
    }
}
