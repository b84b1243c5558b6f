using System.Runtime.CompilerServices;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    private const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ApplicationInsightsConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // With no destination configured, recording would cost every request its spans, metric points and log records
        // for nothing (measured: about a tenth of the Web's CPU a page). The instrumentation stays registered, so a
        // listener attached to the process (dotnet-trace, dotnet-counters, a test) still sees every span.
        var exporting = HasExporter(builder.Configuration);
        if (exporting)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());
        }

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddAspNetCoreInstrumentation(options =>
                        // Probes run every few seconds; tracing them would drown the requests people care about.
                        options.Filter = context => !IsHealthProbe(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (!exporting)
                {
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            });

        builder.AddOpenTelemetryExporters();
        return builder;
    }

    private static bool HasExporter(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey])
        || !string.IsNullOrWhiteSpace(configuration[ApplicationInsightsConnectionStringKey]);

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);

    /// <summary>
    /// Exports only where a destination is configured: OTLP (the Aspire dashboard sets the endpoint)
    /// and Azure Monitor (when an Application Insights connection string is present). Neither is required.
    /// </summary>
    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            AddOtlpExporter(builder.Services);
        }

        if (builder.Configuration[ApplicationInsightsConnectionStringKey] is { } connectionString
            && !string.IsNullOrWhiteSpace(connectionString))
        {
            AddAzureMonitorExporter(builder.Services, connectionString);
        }

        return builder;
    }

    // Each exporter is registered in a method of its own, compiled only when called: a process that exports nowhere
    // (or only to OTLP) never loads the Azure SDK's assemblies, which would cost every start and every pod's memory.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddOtlpExporter(IServiceCollection services) => services.AddOpenTelemetry().UseOtlpExporter();

    /// <remarks>
    /// The exporter alone, not the Azure Monitor distro: the distro cannot be compiled ahead of time (the Api ships as
    /// Native AOT), and the instrumentation it would add is already configured above. Traces, metrics and logs all go to
    /// Application Insights.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddAzureMonitorExporter(IServiceCollection services, string connectionString) =>
        services.AddOpenTelemetry().UseAzureMonitorExporter(options => options.ConnectionString = connectionString);
}
