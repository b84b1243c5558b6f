using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Cross-cutting defaults every service gets: telemetry, health checks, service discovery, resilience, and the
/// edge protections (no Server header, trusted forwarded headers only, rate-limited writes).
/// </summary>
public static partial class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.RemoveServerHeader();
        builder.AddTrustedForwardedHeaders();
        builder.AddWriteRateLimiting();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(ConfigureResilience);
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// The standard pipeline, bounded for calls between services on one network: an answer or a failure within
    /// about 5 s rather than 30 s, and no retry of POST/PUT/DELETE, which could count a vote twice.
    /// </summary>
    private static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.Retry.DisableForUnsafeHttpMethods();
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // "self" is the only check tagged live: /alive must not fail because a dependency is down,
        // or Kubernetes would restart pods that only need to wait.
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps /health (ready: every check, dependencies included) and /alive (the process only).
    /// </summary>
    /// <remarks>
    /// The Aspire template maps these in Development only. Here they are mapped in every environment on purpose:
    /// Kubernetes readiness and liveness probes call them. They return only a status word, no details.
    /// </remarks>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapHealthChecks(HealthEndpointPath).DisableHttpMetrics();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        }).DisableHttpMetrics();

        return app;
    }
}
