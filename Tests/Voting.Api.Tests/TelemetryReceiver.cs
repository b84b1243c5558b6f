using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Voting.Api.Tests;

/// <summary>
/// A telemetry back end on loopback (an OTLP collector, Azure Monitor's ingestion endpoint): real HTTP that keeps every
/// export it is sent, decompressed, and accepts it. The real back ends are services outside this machine.
/// </summary>
internal sealed class TelemetryReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedExport> _received = new();

    private TelemetryReceiver(WebApplication app) => _app = app;

    /// <summary>The receiver's base address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyCollection<ReceivedExport> Received => _received;

    public static async Task<TelemetryReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        var receiver = new TelemetryReceiver(builder.Build());
        receiver._app.Run(receiver.KeepAsync);
        await receiver._app.StartAsync();
        var addresses = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        receiver.BaseAddress = new Uri(addresses.Addresses.First() + "/");
        return receiver;
    }

    private async Task KeepAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        var source = context.Request.Headers.ContentEncoding == "gzip"
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        await using (source)
        {
            await source.CopyToAsync(body, context.RequestAborted);
        }

        _received.Enqueue(new(context.Request.Method, context.Request.Path, body.ToArray()));
        // Azure Monitor's answer to a batch it took whole; an OTLP exporter only reads the status.
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"itemsReceived":0,"itemsAccepted":0,"errors":[]}""", context.RequestAborted);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One export as the back end received it: the body decompressed (JSON lines, or OTLP protobuf).</summary>
internal sealed record ReceivedExport(string Method, string Path, byte[] Body)
{
    /// <summary>Whether the body holds <paramref name="text"/> as UTF-8 (in JSON, and in protobuf's string fields).</summary>
    public bool Contains(string text) => Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    /// <summary>Whether one item of a JSON-lines body (Azure Monitor's) holds every one of <paramref name="texts"/>.</summary>
    public bool HasItemWith(params string[] texts) =>
        Encoding.UTF8.GetString(Body).Split('\n').Any(item => texts.All(text => item.Contains(text, StringComparison.Ordinal)));
}
