using System.Net;
using OpenLoop;

// An open-loop HTTP load generator: a fixed offered rate, latencies from each request's due time (README.md).
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"OpenLoop: {e.Message}\n{LoadOptions.Usage}");
    return 2;
}

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Connections,
    UseProxy = false,
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
};
using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };

var report = new OpenLoopRun(options, client).Run();
using (var stdout = Console.OpenStandardOutput())
{
    report.WriteJson(stdout);
    stdout.WriteByte((byte)'\n');
}

return 0;
