using Microsoft.Extensions.Options;

namespace Voting.Api.RedisPassword;

/// <summary>
/// Follows the Redis password file (<see cref="RedisPasswordSettings.File"/>), so a new password in Key Vault needs no
/// coordinated restart: Redis, the Api's replicas and the driver's copies of the secret may each change over at their
/// own moment.
/// </summary>
/// <remarks>
/// <para>When the file holds a new password, Redis is first told to accept it beside the one before
/// (<c>ACL SETUSER default resetpass &gt;previous &gt;current</c>, through a connection that either opens), then every new
/// connection uses it. Connections already open stay authenticated: Redis checks a password only when one is given.</para>
/// <para>While the Api has no connection, it asks again: if Redis restarted on the previous password (its Secret not yet
/// synced) and refuses the current one, it is taught the current one again through the previous. Redis keeps the
/// previous password until the next rotation or its own next restart.</para>
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
        var inFile = await ReadAsync(file, cancel);
        if (inFile is not null && !string.Equals(inFile, Connection.Password, StringComparison.Ordinal))
        {
            _previous = Connection.Password;
            await AcceptCurrentAndPreviousAsync(inFile, cancel);
            Connection.Password = inFile;
            logger.LogInformation("The Redis password in {File} changed: new connections use the new one.", file);
        }
        else if (!redis.IsConnected)
        {
            // The client reports a refused password only on the first failure after a connection, so ask Redis directly.
            await AcceptCurrentAndPreviousAsync(Connection.Password, cancel);
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

    /// <summary>Makes Redis accept the current password and the previous one, through a connection either of them opens.</summary>
    private async Task AcceptCurrentAndPreviousAsync(string? current, CancellationToken cancel)
    {
        string[] known = [.. new[] { current, _previous }.OfType<string>().Where(p => p.Length > 0).Distinct(StringComparer.Ordinal)];
        foreach (var password in known)
        {
            try
            {
                await using var admin = await ConnectionMultiplexer.ConnectAsync(OptionsFor(password)).WaitAsync(cancel);
                await admin.GetDatabase().ExecuteAsync("ACL", ["SETUSER", Connection.User ?? "default", "resetpass", .. known.Select(p => ">" + p)]);
                return;
            }
            catch (RedisConnectionException exception) when (exception.FailureType == ConnectionFailureType.AuthenticationFailure)
            {
                // Not this one: the other, if any.
            }
            catch (RedisException exception)
            {
                // Down or loading: the next check asks again if the Api still has no connection then.
                logger.LogDebug("Redis could not be asked to accept the current password: {Message}", exception.Message);
                return;
            }
        }

        logger.LogError("Redis refuses every password this Api knows. It waits for the password file to change, as the Key Vault mount does within one rotation poll.");
    }

    /// <summary>A single attempt with <paramref name="password"/>, failing at once, silent: the Api's own connection is the one to watch.</summary>
    private ConfigurationOptions OptionsFor(string password)
    {
        var options = Connection.Clone();
        options.Password = password;
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.LoggerFactory = null;
        return options;
    }
}
