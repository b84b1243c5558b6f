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
    /// <summary>Throws <see cref="OptionsValidationException"/>, as the Api's start would, when a setting is invalid.</summary>
    public static void Validate(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // appsettings.json of the Api (copied next to the tests) first, then the settings, as environment variables
        // override it in a deployment. The Redis client is registered, never connected.
        builder.Configuration.AddJsonFile("appsettings.json", optional: false);
        builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(settings) { ["ConnectionStrings:redis"] = "127.0.0.1:1,abortConnect=false" });
        builder.AddServiceDefaults();
        builder.AddApplicationServices();

        using var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }
}
