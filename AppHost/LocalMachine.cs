using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Voting.AppHost;

/// <summary>What the AppHost (and the tests) ask of the machine they run on: programs, free ports.</summary>
internal static class LocalMachine
{
    /// <summary>True when <paramref name="program"/> is a file in one of PATH's folders.</summary>
    public static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>How many free ports <see cref="StartOnFreeLoopbackPortAsync"/> tries before it lets the failure through.</summary>
    private const int PortAttempts = 5;

    /// <summary>
    /// Starts a server that cannot bind port 0 and report the port it got (Garnet, redis-server, a container's port
    /// binding) on a loopback port that was free a moment ago. Should another process bind that port in between, which
    /// <paramref name="portTaken"/> recognises in the failure, it starts on another: the port is known once it is bound.
    /// </summary>
    public static async Task<T> StartOnFreeLoopbackPortAsync<T>(Func<int, Task<T>> start, Func<Exception, bool> portTaken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start(FreeLoopbackPort());
            }
            catch (Exception exception) when (attempt < PortAttempts && portTaken(exception))
            {
                // Another process bound the port after it was found free: try another.
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="program"/> and returns its trimmed standard output when it exits with 0 within
    /// <paramref name="timeout"/>; null when it is not installed, fails or hangs (then it is killed).
    /// </summary>
    public static string? TryRun(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return null;
            }

            // Both pipes are drained, so a chatty program cannot block on a full one.
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            return process.ExitCode == 0 ? output.Result.Trim() : null;
        }
        catch (Win32Exception)
        {
            // Not installed.
            return null;
        }
    }
}
