using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

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

    /// <summary>How long the test waits for the process to exit before calling it a hang; not a measure of speed.</summary>
    private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_under_load_lets_accepted_requests_finish_and_exits_cleanly()
    {
        var run = await SigtermUnderLoadAsync();

        Assert.Equal(0, run.ExitCode);
        // Each vote used its own connection. One the Api read got its answer: no response ended half-way (that would
        // be neither outcome), and every vote Redis counted was answered 200. Connections the kernel had queued but
        // the Api never read are reset when it closes its listener, as refused ones are: in Kubernetes the preStop
        // delay keeps new connections from arriving at all.
        Assert.All(run.Outcomes, o => Assert.True(o is "200" or "not served", $"A request ended with {o}."));
        var answered = run.Outcomes.Count(o => o == "200");
        Assert.True(answered > 0);
        Assert.Equal(answered, run.Counted);
    }

    [Fact]
    [Trait("Category", "Timing")]
    public async Task Sigterm_under_load_exits_well_within_the_pods_grace_period()
    {
        var run = await SigtermUnderLoadAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.True(run.Shutdown < s_shutdownBudget, $"Shutdown took {run.Shutdown}.");
    }

    private sealed record ShutdownRun(int ExitCode, TimeSpan Shutdown, List<string> Outcomes, long Counted);

    private static async Task<ShutdownRun> SigtermUnderLoadAsync()
    {
        await using var redis = await TestRedis.StartAsync();
        var (api, baseAddress) = await StartApiAsync(redis.ConnectionString);
        try
        {
            using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
            Assert.True(await Eventually.TrueWithinAsync(TimeSpan.FromSeconds(30), async () =>
                await TryGetAsync(client, "health") == HttpStatusCode.OK));

            using var stop = new CancellationTokenSource();
            var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var load = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => VoteUntilRefusedAsync(baseAddress, served, stop.Token)));
            // The signal comes once the load is being served (a vote answered), not after a guessed delay.
            await served.Task.WaitAsync(s_hangGuard, TestContext.Current.CancellationToken);

            var signalled = TimeProvider.System.GetTimestamp();
            using (var kill = Process.Start("kill", ["-TERM", api.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            using var timeout = new CancellationTokenSource(s_hangGuard);
            await api.WaitForExitAsync(timeout.Token);
            var shutdown = TimeProvider.System.GetElapsedTime(signalled);
            await stop.CancelAsync();
            var outcomes = (await load).SelectMany(o => o).ToList();
            await using var store = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            return new(api.ExitCode, shutdown, outcomes, (long)await store.GetDatabase().StringGetAsync("votes:Cats"));
        }
        finally
        {
            if (!api.HasExited)
            {
                // A failed test must not leave the Api running.
                api.Kill(entireProcessTree: true);
            }

            api.Dispose();
        }
    }

    private static async Task<List<string>> VoteUntilRefusedAsync(Uri api, TaskCompletionSource served, CancellationToken stop)
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
                served.TrySetResult();
            }
            catch (HttpRequestException e) when (
                e.HttpRequestError == HttpRequestError.ConnectionError ||
                (e.HttpRequestError == HttpRequestError.Unknown && e.InnerException is IOException))
            {
                // Refused, or reset while connecting or sending: the Api never read this request.
                outcomes.Add("not served");
                await Task.Delay(20, CancellationToken.None);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.NotConnected or SocketError.ConnectionReset)
            {
                // The same, reset right after connecting: HttpClient reads the new connection's peer address then, and
                // lets that failure through as it is, not wrapped in an HttpRequestException.
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

    /// <summary>
    /// Starts the built Api as its own process on port 0 (Kestrel binds a free port itself) and reads the address it
    /// bound from its "Now listening on" log line.
    /// </summary>
    private static async Task<(Process Api, Uri BaseAddress)> StartApiAsync(string redis)
    {
        var dll = Path.Combine(Repository.OutputOf("Api"), "Voting.Api.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The tests' ballot and Redis, as environment variables. All the load comes from one address: the per-address
        // write limit must not be what this test measures.
        foreach (var (key, value) in ServiceSettings.With(redis))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) =>
        {
            const string Marker = "Now listening on: ";
            if (line.Data?.IndexOf(Marker, StringComparison.Ordinal) is int at and >= 0)
            {
                listening.TrySetResult(new Uri(line.Data[(at + Marker.Length)..].Trim() + "/"));
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (process, await listening.Task.WaitAsync(s_hangGuard, TestContext.Current.CancellationToken));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
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
