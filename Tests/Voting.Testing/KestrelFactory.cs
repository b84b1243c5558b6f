using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Voting.Testing;

/// <summary>
/// Runs a service's real Program on Kestrel, on a loopback port the server binds itself (port 0), so tests speak real
/// HTTP to it (and the Web can call the Api over the network, through service discovery, as in production).
/// </summary>
/// <typeparam name="TProgram">The service's Program.</typeparam>
public class KestrelFactory<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
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
        // Kestrel binds 127.0.0.1:0 and the operating system picks the port: no port is guessed beforehand.
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
    }

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public KestrelFactory<TProgram> Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        BaseAddress = new Uri(addresses.Addresses.First() + "/");
        return this;
    }

    /// <summary>
    /// Starts the service and returns once <paramref name="readinessPath"/> answers 2xx, as Kubernetes would wait before
    /// sending it traffic: its Redis connection may still be coming up when the first request would otherwise arrive.
    /// </summary>
    public async Task<KestrelFactory<TProgram>> StartReadyAsync(string readinessPath = "health")
    {
        Start();
        using var client = CreateRawClient();
        var ready = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), async () =>
        {
            using var health = await client.GetAsync(readinessPath);
            return health.IsSuccessStatusCode;
        });
        if (!ready)
        {
            await DisposeAsync();
            throw new TimeoutException($"{typeof(TProgram).Assembly.GetName().Name} on {BaseAddress} was not ready (/{readinessPath}) within 30 s.");
        }

        return this;
    }

    /// <summary>A client with no cookies kept and no redirects followed: tests see exactly what the server sends.</summary>
    public HttpClient CreateRawClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment(_environment);
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
