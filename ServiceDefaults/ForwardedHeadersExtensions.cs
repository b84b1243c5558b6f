using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Voting.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

public static partial class Extensions
{
    public static TBuilder AddTrustedForwardedHeaders<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ForwardedHeadersSettings>()
            .BindConfiguration(ForwardedHeadersSettings.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();

        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
            {
                // None when no proxy is configured: then even ASP.NET Core's own ASPNETCORE_FORWARDEDHEADERS_ENABLED
                // switch, which would otherwise trust every sender, applies nothing.
                options.ForwardedHeaders = settings.Value.TrustsAnyProxy
                    ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                    : ForwardedHeaders.None;
                // The defaults trust loopback; only what is configured is trusted here.
                options.KnownIPNetworks.Clear();
                options.KnownProxies.Clear();
                foreach (var network in settings.Value.ParseNetworks())
                {
                    options.KnownIPNetworks.Add(network);
                }

                foreach (var proxy in settings.Value.ParseProxies())
                {
                    options.KnownProxies.Add(proxy);
                }
            });
        return builder;
    }

    /// <summary>
    /// Applies <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from the configured proxies only. With none
    /// configured the middleware is left out: with empty lists it would trust every sender.
    /// </summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.TrustsAnyProxy)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
