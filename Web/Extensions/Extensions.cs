using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Voting.Web.Extensions;

public static class Extensions
{
    /// <summary>The Aspire resource name of the Api, the only service the Web calls.</summary>
    public const string ApiServiceName = "api";

    public const int MaxRequestBodyBytes = 16 * 1024;

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Forms from other sites are refused by CrossOriginProtection, from headers the browser sets, before a form is
        // read: the page carries no antiforgery token, so it costs no encryption and no cookie, and the Web keeps no
        // key ring (and so needs no Redis of its own).
        builder.Services.AddRazorPages(options => options.Conventions.ConfigureFilter(new IgnoreAntiforgeryTokenAttribute()));
        builder.Services.RemoveKeyRingStartup();

        // The only form is a vote: a button value. Reading stops at this size, and the page refuses the request (400)
        // before anything is counted.
        builder.Services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        // "https+http://api": service discovery resolves the Api's address (from services__api__http__0 and friends).
        builder.Services.AddHttpClient<VotesApiClient>(client => client.BaseAddress = new($"https+http://{ApiServiceName}"));
        builder.Services.AddHttpClient<ApiVersionClient>(client => client.BaseAddress = new($"https+http://{ApiServiceName}"));
        builder.Services.AddOptions<TallyCacheOptions>().BindConfiguration(TallyCacheOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TallyCacheOptions>, TallyCacheOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TallyCache>();

        return builder;
    }

    /// <summary>
    /// Razor Pages bring ASP.NET Core data protection (for antiforgery tokens and TempData), whose hosted service loads or
    /// creates a key ring as the app starts: XML, cryptography, and a key file written to disk. The Web encrypts nothing,
    /// so that work is left out; were something to protect data later, the key ring would still be made on first use.
    /// </summary>
    private static void RemoveKeyRingStartup(this IServiceCollection services)
    {
        const string KeyRingStartup = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";
        var startup = services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == KeyRingStartup).ToList();
        foreach (var descriptor in startup)
        {
            services.Remove(descriptor);
        }
    }
}
