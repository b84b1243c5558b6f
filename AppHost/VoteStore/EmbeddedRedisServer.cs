using System.Net;
using System.Net.Sockets;
using Garnet;
using Garnet.server;
using Tsavorite.core;

namespace Voting.AppHost.VoteStore;

/// <summary>
/// A Redis-compatible server (Microsoft Garnet) running inside this process on a free loopback port.
/// It speaks RESP, so the Api uses it through the same StackExchange.Redis client as a real Redis.
/// </summary>
/// <remarks>
/// Garnet cannot listen on port 0 and report the port it got, so <see cref="StartAsync"/> binds a port that was free a
/// moment ago and, should another process take it in between, binds another.
/// </remarks>
internal sealed class EmbeddedRedisServer : IDisposable
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
    public string ConnectionString => $"127.0.0.1:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Starts on a free loopback port. With <paramref name="appendOnlyDirectory"/>, every write is logged there before it
    /// is acknowledged and replayed at the next start, as Redis does with <c>--appendonly yes</c>.
    /// </summary>
    public static Task<EmbeddedRedisServer> StartAsync(string? appendOnlyDirectory = null) =>
        LocalMachine.StartOnFreeLoopbackPortAsync(port => Task.FromResult(StartOnPort(port, appendOnlyDirectory)), IsPortTaken);

    /// <summary>Starts on <paramref name="port"/>, e.g. again where a stopped server was, with its append-only log.</summary>
    public static EmbeddedRedisServer StartOnPort(int port, string? appendOnlyDirectory = null)
    {
        var server = new EmbeddedRedisServer(port, appendOnlyDirectory);
        try
        {
            server.Run();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
    }

    /// <summary>True when <paramref name="exception"/> says the port is already bound by someone else.</summary>
    internal static bool IsPortTaken(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    private void Run()
    {
        _server = new GarnetServer(new GarnetServerOptions
        {
            EndPoints = [new IPEndPoint(IPAddress.Loopback, Port)],
            // The Api counts a vote with a Lua script (EVALSHA), so Lua must be on; LuaOptions is required with Lua on.
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
