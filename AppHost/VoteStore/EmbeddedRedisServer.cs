using System.Net;
using Garnet;
using Garnet.server;
using Tsavorite.core;

namespace Voting.AppHost.VoteStore;

/// <summary>
/// A Redis-compatible server (Microsoft Garnet) running inside this process on a free loopback port.
/// It speaks RESP, so the Api uses it through the same StackExchange.Redis client as a real Redis.
/// </summary>
public sealed class EmbeddedRedisServer : IDisposable
{
    private GarnetServer? _server;

    private readonly string? _appendOnlyDirectory;

    private EmbeddedRedisServer(int port, string? appendOnlyDirectory = null)
    {
        Port = port;
        _appendOnlyDirectory = appendOnlyDirectory;
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Chooses a free port now (so connection strings can be built) and starts later.</summary>
    public static EmbeddedRedisServer Reserve() => new(LocalMachine.FreeLoopbackPort());

    /// <summary>
    /// Starts on <paramref name="port"/>. With <paramref name="appendOnlyDirectory"/>, every write is logged there
    /// before it is acknowledged and replayed at the next start, as Redis does with <c>--appendonly yes</c>.
    /// </summary>
    public static EmbeddedRedisServer StartOnPort(int port, string? appendOnlyDirectory = null)
    {
        var server = new EmbeddedRedisServer(port, appendOnlyDirectory);
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
            EnableAOF = _appendOnlyDirectory is not null,
            CommitFrequencyMs = 0,
            CheckpointDir = _appendOnlyDirectory,
            // Plain .NET file I/O: the default native device needs libaio, which a bare machine lacks.
            DeviceType = DeviceType.RandomAccess,
            Recover = _appendOnlyDirectory is not null,
        });
        _server.Start();
    }

    public void Dispose() => _server?.Dispose();
}
