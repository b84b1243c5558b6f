using System.Diagnostics;
using System.Net;
using Voting.AppHost;

namespace Voting.Api.Tests.Faults;

/// <summary>
/// SIGTERM under load, as Kubernetes sends it when a pod is replaced: requests already accepted finish with their
/// answer, new connections are refused, and the process exits cleanly well within the pod's grace period.
/// </summary>
/// <remarks>The Api runs as its own process here (not in the test host), so it can be sent a real signal.</remarks>
[Collection(FaultsCollection.Name)]
public sealed class GracefulShutdownTests
{
    /// <summary>The manifests give pods 30 s (terminationGracePeriodSeconds) after a 5 s preStop sleep.</summary>
    private static readonly TimeSpan s_shutdownBudget = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Sigterm_under_load_lets_accepted_requests_finish_and_exits_cleanly()
    {
        await using var redis = await TestRedis.StartAsync();
        var port = LocalMachine.FreeLoopbackPort();
        using var api = StartApi(redis.ConnectionString, port);
        try
        {
            await SigtermUnderLoadAsync(api, port, redis.ConnectionString);
        }
        finally
        {
            if (!api.HasExited)
            {
                // A failed test must not leave the Api running, holding its port.
                api.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task SigtermUnderLoadAsync(Process api, int port, string redis)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), async () =>
            await TryGetAsync(client, "health") == HttpStatusCode.OK));

        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => VoteUntilRefusedAsync(baseAddress, stop.Token)));
        await Task.Delay(1000);

        var signalled = TimeProvider.System.GetTimestamp();
        using (var kill = Process.Start("kill", ["-TERM", api.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(s_shutdownBudget);
        await api.WaitForExitAsync(timeout.Token);
        var shutdown = TimeProvider.System.GetElapsedTime(signalled);
        await stop.CancelAsync();
        var outcomes = (await load).SelectMany(o => o).ToList();

        Assert.Equal(0, api.ExitCode);
        Assert.True(shutdown < s_shutdownBudget, $"Shutdown took {shutdown}.");
        // Each vote used its own connection. One the Api read got its answer: no response ended half-way (that would
        // be neither outcome), and every vote Redis counted was answered 200. Connections the kernel had queued but
        // the Api never read are reset when it closes its listener, as refused ones are: in Kubernetes the preStop
        // delay keeps new connections from arriving at all.
        Assert.All(outcomes, o => Assert.True(o is "200" or "not served", $"A request ended with {o}."));
        var answered = outcomes.Count(o => o == "200");
        Assert.True(answered > 0);
        await using var store = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis);
        Assert.Equal(answered, (long)await store.GetDatabase().StringGetAsync("votes:Cats"));
    }

    private static async Task<List<string>> VoteUntilRefusedAsync(Uri api, CancellationToken stop)
    {
        var outcomes = new List<string>();
        using var client = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/votes/Cats");
            request.Headers.ConnectionClose = true;
            try
            {
                using var response = await client.SendAsync(request, CancellationToken.None);
                outcomes.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (HttpRequestException e) when (
                e.HttpRequestError == HttpRequestError.ConnectionError ||
                (e.HttpRequestError == HttpRequestError.Unknown && e.InnerException is IOException))
            {
                // Refused, or reset while connecting or sending: the Api never read this request.
                outcomes.Add("not served");
                await Task.Delay(20, CancellationToken.None);
            }
            catch (HttpRequestException e)
            {
                outcomes.Add($"{e.HttpRequestError}: {e.Message}");
            }
        }

        return outcomes;
    }

    private static Process StartApi(string redis, int port)
    {
        var dll = Path.Combine(Repository.OutputOf("Api"), "Voting.Api.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__redis"] = redis;
        // All the load comes from one address: the per-address write limit must not be what this test measures.
        foreach (var (key, value) in ServiceSettings.NoThrottling)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
