namespace Voting.ServiceDefaults;

/// <summary>
/// How many writes (votes and resets: POST and DELETE) one client address may make per window. Each service sets
/// its own defaults in appsettings.json: the Web's clients are people, the Api's are the Web's replicas.
/// </summary>
public sealed class RateLimitingSettings
{
    public const string SectionName = "RateLimiting";

    public int PermitLimit { get; set; } = 30;

    public int WindowSeconds { get; set; } = 10;
}
