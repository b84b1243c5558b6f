using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Voting.Tests.Infrastructure;

/// <summary>
/// Runs a service's real Program on Kestrel, on a free loopback port, so tests speak real HTTP to it
/// (and the Web can call the Api over the network, through service discovery, as in production).
/// </summary>
/// <typeparam name="TMarker">Any public type of the service's assembly (both services have a global Program).</typeparam>
public class KestrelFactory<TMarker> : WebApplicationFactory<TMarker> where TMarker : class
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="settings">Configuration, as environment variables would give it.</param>
    /// <param name="environment">The host environment (the tests run services as in production unless they say otherwise).</param>
    /// <param name="configureServices">Extra services, e.g. a logger provider that keeps what the service logs.</param>
    public KestrelFactory(
        IDictionary<string, string?> settings, string environment = "Production", Action<IServiceCollection>? configureServices = null)
    {
        _settings = new(settings);
        _environment = environment;
        _configureServices = configureServices;
        UseKestrel(0);
    }

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public KestrelFactory<TMarker> Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        BaseAddress = new Uri(addresses.Addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return this;
    }

    /// <summary>A client with no cookies kept and no redirects followed: tests see exactly what the server sends.</summary>
    public HttpClient CreateRawClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(_environment);
        builder.UseUrls("http://127.0.0.1:0");
        // Host settings reach the app before Program reads its configuration, and override appsettings.json
        // as environment variables do in production.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
    }
}
