namespace Voting.Testing;

/// <summary>Settings the tests give the Api and the Web, as the AppHost or a Deployment would.</summary>
public static class ServiceSettings
{
    /// <summary>
    /// The tests send bursts of thousands of votes from one address (127.0.0.1) to a Production-configured service;
    /// the rate-limit tests set their own, low limits.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> NoThrottling { get; } = new Dictionary<string, string?>
    {
        ["RateLimiting:PermitLimit"] = "1000000",
        ["RateLimiting:WindowSeconds"] = "1",
    };

    /// <summary>
    /// The ballot the tests vote on, set as a deployment sets it: the defaults in Api/appsettings.json are configuration,
    /// and changing them (another option, another title) is not a bug that should fail a test.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Ballot { get; } = new Dictionary<string, string?>
    {
        ["TITLE"] = "Azure Voting App",
        ["VOTE1VALUE"] = "Cats",
        ["VOTE2VALUE"] = "Dogs",
    };

    /// <summary>
    /// <see cref="NoThrottling"/>, <see cref="Ballot"/>, the Redis connection string (none for a service that has no
    /// Redis), then <paramref name="settings"/> over them.
    /// </summary>
    public static Dictionary<string, string?> With(string? redisConnectionString, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(NoThrottling.Concat(Ballot));
        if (redisConnectionString is not null)
        {
            all["ConnectionStrings:redis"] = redisConnectionString;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }
}
