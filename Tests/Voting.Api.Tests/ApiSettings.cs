using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Voting.Api.Extensions;

namespace Voting.Api.Tests;

/// <summary>
/// The Api's settings as its Program registers them (service defaults, then the application's services), validated as
/// at start-up, but with no server, no Redis connection and no Program run: the validators' own tests.
/// </summary>
public static class ApiSettings
{
    /// <summary>A Redis the client is registered for, never connected to.</summary>
    private const string UnusedRedis = "127.0.0.1:1,abortConnect=false";

    /// <summary>
    /// Throws <see cref="OptionsValidationException"/>, as the Api's start would, when a setting is invalid: the Api's
    /// appsettings.json, then the tests' ballot (<see cref="ServiceSettings.Ballot"/>), then <paramref name="settings"/>.
    /// </summary>
    public static void Validate(Dictionary<string, string?> settings) =>
        Validate((IDictionary<string, string?>)ServiceSettings.With(UnusedRedis, settings));

    /// <summary>The same for the Api's appsettings.json alone, as the image ships it.</summary>
    public static void ValidateShipped() =>
        Validate(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = UnusedRedis });

    private static void Validate(IDictionary<string, string?> overAppSettings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // appsettings.json of the Api (copied next to the tests) first, then the rest over it, as environment variables
        // override it in a deployment.
        builder.Configuration.AddJsonFile("appsettings.json", optional: false);
        builder.Configuration.AddInMemoryCollection(overAppSettings);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();

        using var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }
}
