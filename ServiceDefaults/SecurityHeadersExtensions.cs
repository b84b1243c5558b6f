using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    /// <summary>Kestrel's <c>Server: Kestrel</c> header tells a scanner what to try; nothing needs it.</summary>
    public static TBuilder RemoveServerHeader<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<KestrelServerOptions>(options => options.AddServerHeader = false);
        return builder;
    }

    /// <summary>
    /// Adds the security headers to every response, errors and re-executed error pages included (they are added as
    /// the response starts, after the exception handler has cleared whatever was set before), and HSTS outside
    /// Development. HSTS is sent only on HTTPS requests: behind the gateway those are the ones it forwarded with
    /// <c>X-Forwarded-Proto: https</c> from a trusted network (<see cref="UseTrustedForwardedHeaders"/>).
    /// </summary>
    /// <param name="app">The service.</param>
    /// <param name="contentSecurityPolicy">The policy for this service's answers.</param>
    /// <param name="exemptPath">A path whose answers keep no policy (the Api's interactive reference in Development).</param>
    public static WebApplication UseSecurityHeaders(this WebApplication app, string contentSecurityPolicy, PathString? exemptPath = null)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                if (exemptPath is not { } exempt || !context.Request.Path.StartsWithSegments(exempt))
                {
                    headers.ContentSecurityPolicy = contentSecurityPolicy;
                }

                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            return next(context);
        });

        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }
}
