using System.Net;
using System.Net.Sockets;
using Garnet;
using Garnet.server;

namespace Voting.AppHost.VoteStore;

/// <summary>
/// A Redis-compatible server (Microsoft Garnet) running inside this process on a free loopback port.
/// It speaks RESP, so the Api uses it through the same StackExchange.Redis client as a real Redis.
/// </summary>
public sealed class EmbeddedRedisServer : IDisposable
{
    private GarnetServer? _server;

    private EmbeddedRedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Chooses a free port now (so connection strings can be built) and starts later.</summary>
    public static EmbeddedRedisServer Reserve() => new(FreeLoopbackPort());

    public static EmbeddedRedisServer StartOnFreePort() => StartOnPort(FreeLoopbackPort());

    public static EmbeddedRedisServer StartOnPort(int port)
    {
        var server = new EmbeddedRedisServer(port);
        server.Start();
        return server;
    }

    public void Start()
    {
        if (_server is not null)
        {
            throw new InvalidOperationException("The embedded Redis server has already been started.");
        }

        _server = new GarnetServer(new GarnetServerOptions
        {
            EndPoints = [new IPEndPoint(IPAddress.Loopback, Port)],
            // Lua and transactions are what the Api's atomic writes may rely on; LuaOptions is required with Lua on.
            EnableLua = true,
            LuaOptions = new LuaOptions(null),
            QuietMode = true,
        });
        _server.Start();
    }

    public void Dispose() => _server?.Dispose();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
