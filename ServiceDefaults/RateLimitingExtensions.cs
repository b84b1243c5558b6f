using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Voting.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>
    /// Limits writes (POST, PUT, PATCH, DELETE) per client address, with a fixed window, so one client cannot flood
    /// the counts or reset them in a loop. Reads are not limited. A refused write gets 429 with <c>Retry-After</c>;
    /// the body is the service's own status-code answer (problem details in the Api, the error page in the Web).
    /// </summary>
    /// <remarks>
    /// The client address is the connection's, or the one a trusted proxy forwarded (<see cref="UseTrustedForwardedHeaders"/>).
    /// </remarks>
    public static TBuilder AddWriteRateLimiting<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<RateLimitingSettings>()
            .BindConfiguration(RateLimitingSettings.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitingSettings>, RateLimitingSettingsValidator>();

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<RateLimitingSettings>>((options, settings) =>
            {
                var limits = settings.Value;
                options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(context =>
                    IsLimitedWrite(context)
                        ? RateLimitPartition.GetFixedWindowLimiter(
                            context.Connection.RemoteIpAddress ?? IPAddress.None,
                            _ => new FixedWindowRateLimiterOptions
                            {
                                PermitLimit = limits.PermitLimit,
                                Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                                QueueLimit = 0,
                            })
                        : RateLimitPartition.GetNoLimiter(IPAddress.None));
                options.OnRejected = (rejected, _) =>
                {
                    if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    {
                        rejected.HttpContext.Response.Headers.RetryAfter =
                            Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    }

                    return ValueTask.CompletedTask;
                };
            });
        return builder;
    }

    /// <summary>
    /// A write from a client; not the error page re-executed for a write already answered (it would be limited twice
    /// and lose its body).
    /// </summary>
    private static bool IsLimitedWrite(HttpContext context) =>
        !SafeHttpMethods.Includes(context.Request.Method)
        && !context.IsErrorPageReExecution();
}
