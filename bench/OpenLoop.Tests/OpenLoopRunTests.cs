using System.Net.Sockets;

namespace OpenLoop.Tests;

/// <summary>The generator against a real HTTP server on loopback, at a low rate (each run about a second).</summary>
public sealed class OpenLoopRunTests
{
    private const int Rate = 200;

    [Fact]
    public async Task Every_request_is_sent_on_schedule_and_answered()
    {
        await using var server = new TestServer();

        var report = Run(server.Url("/ok"), connections: 4);

        Assert.Equal((Rate, Rate, 0), (report.Sent, report.Completed, report.Errors));
        Assert.All(report.SortedLatencyMicroseconds, l => Assert.InRange(l, 1, 5_000_000));
    }

    [Fact]
    public async Task Answers_other_than_2xx_are_errors()
    {
        await using var server = new TestServer();

        var report = Run(server.Url("/fail"), connections: 4);

        Assert.Equal((Rate, Rate, Rate, Rate), (report.Sent, report.Completed, report.Non2xx, report.Errors));
    }

    [Fact]
    public void Requests_nobody_answers_are_errors()
    {
        var report = Run(new Uri($"http://127.0.0.1:{TestServer.FreePort()}/"), connections: 4);

        Assert.Equal((Rate, 0, Rate, Rate), (report.Sent, report.Completed, report.Exceptions, report.Errors));
    }

    [Fact]
    public void Requests_whose_connection_is_reset_as_it_is_made_are_errors()
    {
        // HttpClient lets this one through as a bare SocketException, not an HttpRequestException; a handler throws it
        // here because a real server cannot produce that race on demand.
        using var reset = new ResetEveryConnection();

        var report = Run(new Uri("http://127.0.0.1:9/"), connections: 4, reset);

        Assert.Equal((Rate, 0, Rate, Rate), (report.Sent, report.Completed, report.Exceptions, report.Errors));
    }

    [Fact]
    public async Task A_server_stall_is_charged_to_every_request_queued_behind_it()
    {
        // One connection: while the first answer is held, the requests due after it wait for the connection, as in a
        // real client's pool, and each of them shows its wait.
        await using var server = new TestServer();

        var report = Run(server.Url("/stall-once"), connections: 1);

        AssertChargedForStall(report);
    }

    [Fact]
    public async Task A_sender_stall_is_charged_to_every_request_due_during_it()
    {
        // The sender itself stops (as in a pause of the generator's process): the requests due meanwhile go out late,
        // all at once. Timed from when they were sent, they would look fast; timed from their due times, they are not.
        await using var server = new TestServer();
        using var stall = new StallOnFirstSend(TimeSpan.FromMilliseconds(TestServer.StallMilliseconds));

        var report = Run(server.Url("/ok"), connections: 4, stall);

        AssertChargedForStall(report);
    }

    private static void AssertChargedForStall(RunReport report)
    {
        Assert.Equal((Rate, Rate, 0), (report.Sent, report.Completed, report.Errors));
        var dueDuringTheFirstHalfOfTheStall = Rate * TestServer.StallMilliseconds / 2 / 1000;
        var slow = report.SortedLatencyMicroseconds.Count(l => l >= TestServer.StallMilliseconds * 1000 / 2);
        Assert.InRange(slow, dueDuringTheFirstHalfOfTheStall, Rate);
    }

    private sealed class ResetEveryConnection : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(new SocketException((int)SocketError.NotConnected));
    }

    private static RunReport Run(Uri url, int connections, DelegatingHandler? inFront = null)
    {
        var options = LoadOptions.Parse(["--url", url.ToString(), "--rate", $"{Rate}", "--duration", "1", "--warmup", "0",
            "--connections", $"{connections}", "--timeout", "5"]);
        var sockets = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false };
        HttpMessageHandler handler = sockets;
        if (inFront is not null)
        {
            inFront.InnerHandler = sockets;
            handler = inFront;
        }

        using var client = new HttpClient(handler, disposeHandler: inFront is null)
        {
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        return new OpenLoopRun(options, client).Run();
    }
}
