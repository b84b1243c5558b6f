using System.Collections.Concurrent;
using System.Diagnostics;
using Voting.AppHost;

namespace Voting.Testing;

/// <summary>
/// A redis-server from PATH, for faults that need Redis' own behaviour (maxmemory with noeviction, loading a data set)
/// and options neither the embedded server nor the test image's default command give. Killed on dispose.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    /// <summary>What redis-server says before it exits when its port is already bound.</summary>
    private const string PortTakenMessage = "Address already in use";

    private readonly Process _process;
    private int _disposed;

    private RedisServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>
    /// Starts redis-server on a free loopback port, with no persistence unless asked. redis-server cannot listen on
    /// port 0 and report the port, so it is given one that was free a moment ago; should another process have bound it
    /// since, redis-server exits saying so, and it is started again on another.
    /// </summary>
    /// <param name="arguments">More redis-server options, e.g. <c>--maxmemory-policy noeviction</c>.</param>
    public static Task<RedisServerProcess> StartAsync(params string[] arguments) =>
        LocalMachine.StartOnFreeLoopbackPortAsync(port => StartOnPortAsync(port, arguments),
            exception => exception.Message.Contains(PortTakenMessage, StringComparison.Ordinal));

    /// <summary>
    /// Starts redis-server on <paramref name="port"/>: a server killed a moment ago, started again at the same address
    /// (and, given the same <c>--dir</c>, on the same data).
    /// </summary>
    public static async Task<RedisServerProcess> StartOnPortAsync(int port, params string[] arguments)
    {
        var (process, output) = Launch(port, arguments);
        var server = new RedisServerProcess(process, port);
        // "Server initialized" comes once the port is bound, before any data set is loaded: a server still loading
        // answers, with LOADING, and that is what some tests want.
        var bound = await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(20), () =>
            Task.FromResult(process.HasExited || output.Any(line => line.Contains("Server initialized", StringComparison.Ordinal))));
        if (bound && !process.HasExited)
        {
            return server;
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"redis-server did not start on port {port}:\n{string.Join('\n', output)}");
    }

    private static (Process Process, ConcurrentQueue<string> Output) Launch(int port, string[] arguments)
    {
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

        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        if (!process.Start())
        {
            throw new InvalidOperationException("redis-server did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    /// <summary>
    /// Kills the server with SIGKILL, as <c>kill -9</c>, an out-of-memory kill or a crash would: it gets no chance to
    /// write or flush anything more. A test may call it early to take Redis away, and again when it ends.
    /// </summary>
    public ValueTask DisposeAsync() => KillAsync();

    /// <inheritdoc cref="DisposeAsync"/>
    public async ValueTask KillAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
