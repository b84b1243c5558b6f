using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Builders;
using Testcontainers.Redis;
using Voting.AppHost.VoteStore;

namespace Voting.Tests.Infrastructure;

/// <summary>
/// A real Redis for the tests: a Redis container (Testcontainers) where a Docker engine answers, otherwise the
/// embedded Redis-compatible server the AppHost falls back to, so <c>dotnet test</c> passes with only the .NET SDK.
/// </summary>
/// <remarks>
/// VOTING_TEST_REDIS forces a mode: <c>container</c> (fail if Docker is missing), <c>embedded</c>, or <c>auto</c>.
/// VOTING_TEST_REDIS_IMAGE overrides the image (CI uses one it builds locally); by default it is the AppHost's tag.
/// </remarks>
public sealed class TestRedis : IAsyncDisposable
{
    public const string ModeVariable = "VOTING_TEST_REDIS";
    public const string ImageVariable = "VOTING_TEST_REDIS_IMAGE";
    public static readonly string DefaultImage = $"docker.io/library/redis:{VoteStoreExtensions.RedisImageTag}";

    private readonly RedisContainer? _container;
    private EmbeddedRedisServer? _embedded;

    private TestRedis(RedisContainer container)
    {
        _container = container;
        Description = $"Redis container ({container.Image.FullName})";
    }

    private TestRedis(EmbeddedRedisServer embedded)
    {
        _embedded = embedded;
        Description = "embedded Garnet server";
    }

    /// <summary>What is serving, for test output.</summary>
    public string Description { get; }

    public bool IsContainer => _container is not null;

    public string ConnectionString =>
        _container?.GetConnectionString() ?? _embedded?.ConnectionString ?? throw new InvalidOperationException("Not started.");

    public static async Task<TestRedis> StartAsync(params string[] command)
    {
        var mode = Environment.GetEnvironmentVariable(ModeVariable)?.Trim().ToLowerInvariant() ?? "auto";
        if (mode == "embedded")
        {
            return new TestRedis(EmbeddedRedisServer.StartOnFreePort());
        }

        var image = Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } custom ? custom : DefaultImage;
        // A fixed host port, so a container stopped and started again (fault tests) is found at the same address.
        var builder = new RedisBuilder(image).WithPortBinding(FreePort(), RedisBuilder.RedisPort);
        if (command.Length > 0)
        {
            builder = builder.WithCommand(command);
        }

        RedisContainer? container = null;
        try
        {
            // Build() already asks the Docker endpoint, and throws DockerUnavailableException when none answers.
            container = builder.Build();
            await container.StartAsync().WaitAsync(TimeSpan.FromMinutes(2));
            return new TestRedis(container);
        }
        catch (DockerUnavailableException) when (mode == "auto")
        {
            if (container is not null)
            {
                await container.DisposeAsync();
            }

            return new TestRedis(EmbeddedRedisServer.StartOnFreePort());
        }
    }

    /// <summary>Stops the server, as an outage would; <see cref="RestartAsync"/> brings it back at the same address.</summary>
    public async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.StopAsync();
        }
        else
        {
            _embedded?.Dispose();
        }
    }

    public async Task RestartAsync()
    {
        if (_container is not null)
        {
            await _container.StartAsync();
        }
        else if (_embedded is not null)
        {
            _embedded = EmbeddedRedisServer.StartOnPort(_embedded.Port);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        _embedded?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
