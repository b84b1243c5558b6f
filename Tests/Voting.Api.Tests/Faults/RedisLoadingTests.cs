using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Voting.Api.Tests.Faults;

/// <summary>
/// Redis answers LOADING while it reads its data set back. The Api says "try again shortly" (503 with Retry-After),
/// not 500. Redis is made to reload under the Api's open connections (DEBUG RELOAD) and slowed with key-load-delay,
/// as Redis' own tests do, so the window is long enough to see on any machine.
/// </summary>
/// <remarks>
/// A Redis that is already loading when the Api connects gets a 503 too, but another one: StackExchange.Redis does not
/// finish its handshake until loading ends, so the Api reports the store as unreachable.
/// </remarks>
[Collection(FaultsCollection.Name)]
public sealed class RedisLoadingTests
{
    private const int Keys = 20_000;

    [Fact]
    public async Task While_redis_loads_its_data_set_the_api_answers_503_with_retry_after()
    {
        RequiredTools.Require("redis-server");

        var directory = Directory.CreateTempSubdirectory("voting-test-rdb-").FullName;
        try
        {
            // A millisecond per key: about 20 s of LOADING, far longer than the test needs.
            await using var server = await RedisServerProcess.StartAsync(
                "--dir", directory, "--enable-debug-command", "local",
                "--key-load-delay", "1000", "--loading-process-events-interval-bytes", "1024");
            await using (var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
            {
                var db = redis.GetDatabase();
                await Task.WhenAll(Enumerable.Range(0, Keys).Select(i => db.StringSetAsync($"other-app:{i}", i)));
            }

            await using var api = await ApiFixture.StartApiAsync(server.ConnectionString);
            using var client = api.CreateRawClient();
            using var reload = await StartReloadAsync(server.Port);

            var seen = new List<string>();
            var answer = await Eventually.WithinAsync(TimeSpan.FromSeconds(15), async () =>
            {
                using var response = await client.PostAsync("api/votes/Cats", null);
                var problem = response.StatusCode == HttpStatusCode.ServiceUnavailable
                    ? await response.Content.ReadFromJsonAsync<ProblemDto>()
                    : null;
                seen.Add($"{(int)response.StatusCode} {problem?.Detail}");
                return problem?.Detail?.Contains("still loading", StringComparison.Ordinal) == true
                    ? new { Problem = problem, RetryAfter = response.Headers.RetryAfter?.Delta }
                    : null;
            });

            Assert.True(answer is not null, $"No LOADING answer; the Api said: {string.Join(" / ", seen.Distinct())}");
            Assert.Equal(503, answer.Problem.Status);
            Assert.Equal(TimeSpan.FromSeconds(1), answer.RetryAfter);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Sends DEBUG RELOAD (save, then load the data set again) on a raw connection, without waiting for it.</summary>
    private static async Task<TcpClient> StartReloadAsync(int port)
    {
        var connection = new TcpClient();
        await connection.ConnectAsync(IPAddress.Loopback, port);
        await connection.GetStream().WriteAsync(Encoding.ASCII.GetBytes("DEBUG RELOAD\r\n"));
        return connection;
    }
}
