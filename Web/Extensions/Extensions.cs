using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using StackExchange.Redis;

namespace Voting.Web.Extensions;

public static class Extensions
{
    /// <summary>The Aspire resource names this app connects to.</summary>
    public const string ApiServiceName = "api";
    public const string RedisConnectionName = "redis";

    public const int MaxRequestBodyBytes = 16 * 1024;

    private const string DataProtectionKeysKey = "dataprotection:voting-web";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddRazorPages();

        // The only form is a vote: a button value and a token. Reading stops at this size, and the antiforgery
        // check, which reads the form first, then refuses the request (400) before anything is counted.
        builder.Services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        // "https+http://api": service discovery resolves the Api's address (from services__api__http__0 and friends).
        builder.Services.AddHttpClient<VotesApiClient>(client => client.BaseAddress = new($"https+http://{ApiServiceName}"));

        builder.AddDataProtectionKeysInRedis();

        return builder;
    }

    /// <summary>
    /// Antiforgery tokens are encrypted with data-protection keys. Kept in Redis, one key ring serves every replica,
    /// so a form rendered by one replica can be posted to any other (the Web stays stateless).
    /// </summary>
    private static void AddDataProtectionKeysInRedis(this IHostApplicationBuilder builder)
    {
        // No Redis health check here: the key ring is cached, and during a Redis outage the Web must stay in
        // rotation to serve its "temporarily unavailable" page rather than vanish from the load balancer.
        builder.AddRedisClient(RedisConnectionName, settings => settings.DisableHealthChecks = true);

        builder.Services.AddDataProtection().SetApplicationName("voting-web");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IConnectionMultiplexer>((options, redis) =>
                options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), DataProtectionKeysKey));
    }
}
