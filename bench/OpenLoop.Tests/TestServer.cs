using System.Net;
using System.Net.Sockets;

namespace OpenLoop.Tests;

/// <summary>
/// A real HTTP server on a loopback port for the generator to load: "/ok" answers 200, "/fail" 500, and "/stall-once"
/// holds its first answer for <see cref="StallMilliseconds"/> then answers at once. Answers are written on their own
/// tasks, so a held answer holds only its own connection.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const int StallMilliseconds = 300;

    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private int _stalled;

    public TestServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving.ConfigureAwait(false);
        _listener.Close();
    }

    /// <summary>A port nothing listens on right now (also used as a closed port).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }

            _ = AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath;
        if (path == "/stall-once" && Interlocked.Exchange(ref _stalled, 1) == 0)
        {
            await Task.Delay(StallMilliseconds).ConfigureAwait(false);
        }

        context.Response.StatusCode = path == "/fail" ? 500 : 200;
        context.Response.Close();
    }
}
