using System.Diagnostics;
using System.Net.Sockets;
using Voting.AppHost;

namespace Voting.Testing;

/// <summary>
/// A redis-server from PATH, for faults that need Redis' own behaviour (maxmemory with noeviction, loading a data set)
/// and options neither the embedded server nor the test image's default command give. Killed on dispose.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Starts redis-server on <paramref name="port"/> (a free one by default), with no persistence unless asked.</summary>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <param name="arguments">More redis-server options, e.g. <c>--maxmemory 4mb</c>.</param>
    public static async Task<RedisServerProcess> StartAsync(int port = 0, params string[] arguments)
    {
        port = port == 0 ? LocalMachine.FreeLoopbackPort() : port;
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServerProcess(process, port);

        // Listening is enough: a server loading its data set answers, with LOADING, and that is what some tests want.
        var listening = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(20), async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}.");
            }

            using var socket = new TcpClient();
            try
            {
                await socket.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        });
        if (!listening)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"redis-server was not listening on port {port} within 20 s.");
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
