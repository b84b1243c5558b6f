using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Voting.Web.Extensions;

public static class Extensions
{
    /// <summary>The Aspire resource names this app connects to.</summary>
    public const string ApiServiceName = "api";
    public const string RedisConnectionName = "redis";

    public const int MaxRequestBodyBytes = 16 * 1024;

    private const string DataProtectionKeysKey = "dataprotection:voting-web";

    /// <summary>
    /// The antiforgery cookie's name. <c>__Host-</c> makes browsers accept the cookie only with <c>Secure</c>, for this
    /// host alone and path /, so it can neither travel in clear text nor be planted by a sibling subdomain.
    /// </summary>
    public const string AntiforgeryCookieName = "__Host-Voting.Antiforgery";

    /// <summary>
    /// In Development the page is served over plain http://localhost, where a browser drops a <c>__Host-</c> cookie that
    /// is not <c>Secure</c>: a name without the prefix keeps local voting working.
    /// </summary>
    public const string DevelopmentAntiforgeryCookieName = "Voting.Antiforgery";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddRazorPages();
        builder.AddAntiforgeryCookie();

        // The only form is a vote: a button value and a token. Reading stops at this size, and the antiforgery
        // check, which reads the form first, then refuses the request (400) before anything is counted.
        builder.Services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        // "https+http://api": service discovery resolves the Api's address (from services__api__http__0 and friends).
        builder.Services.AddHttpClient<VotesApiClient>(client => client.BaseAddress = new($"https+http://{ApiServiceName}"));
        builder.Services.AddOptions<TallyCacheOptions>().BindConfiguration(TallyCacheOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TallyCacheOptions>, TallyCacheOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TallyCache>();

        builder.AddDataProtectionKeysInRedis();

        return builder;
    }

    /// <summary>
    /// <c>Secure</c> whenever the request is HTTPS, directly or through a trusted proxy's <c>X-Forwarded-Proto</c>.
    /// Not "always": ASP.NET Core then refuses every plain-HTTP request with an exception, and a request that reaches
    /// the Web over plain HTTP outside Development gets a <c>__Host-</c> cookie without <c>Secure</c>, which browsers
    /// refuse to store: the form then fails closed (400) rather than sending its token in clear text.
    /// </summary>
    private static void AddAntiforgeryCookie(this IHostApplicationBuilder builder)
    {
        var name = builder.Environment.IsDevelopment() ? DevelopmentAntiforgeryCookieName : AntiforgeryCookieName;
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = name;
            options.Cookie.Path = "/";
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
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
