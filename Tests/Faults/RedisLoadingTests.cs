using System.Net;
using System.Net.Http.Json;
using StackExchange.Redis;
using Voting.Tests.Infrastructure;

namespace Voting.Tests.Faults;

/// <summary>
/// A restarted Redis answers LOADING until it has read its data set back: the Api says "try again shortly" (503 with
/// Retry-After), not 500. The load is slowed with redis-server's key-load-delay (what Redis' own tests use), so the
/// window is long enough to see on any machine.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class RedisLoadingTests
{
    private const int Keys = 20_000;

    [ToolFact("redis-server")]
    public async Task While_redis_loads_its_data_set_the_api_answers_503_with_retry_after()
    {
        var directory = Directory.CreateTempSubdirectory("voting-test-rdb-").FullName;
        try
        {
            string[] persistence = ["--dir", directory, "--dbfilename", "dump.rdb"];
            var first = await RedisServerProcess.StartAsync(0, persistence);
            await using (var redis = await ConnectionMultiplexer.ConnectAsync(first.ConnectionString))
            {
                var db = redis.GetDatabase();
                await Task.WhenAll(Enumerable.Range(0, Keys).Select(i => db.StringSetAsync($"other-app:{i}", i)));
                await db.StringSetAsync("votes:Cats", 5);
                await db.ExecuteAsync("SAVE");
            }

            await using var api = await ApiFixture.StartApiAsync(first.ConnectionString);
            using var client = api.CreateRawClient();
            await first.DisposeAsync();

            // Same port, same data set, a millisecond per key: about 20 s of LOADING.
            await using var loading = await RedisServerProcess.StartAsync(first.Port,
                [.. persistence, "--key-load-delay", "1000", "--loading-process-events-interval-bytes", "1024"]);
            var answer = await Eventually.WithinAsync(TimeSpan.FromSeconds(15), async () =>
            {
                using var response = await client.PostAsync("api/votes/Cats", null);
                var problem = response.StatusCode == HttpStatusCode.ServiceUnavailable
                    ? await response.Content.ReadFromJsonAsync<ProblemDto>()
                    : null;
                // Until the Api has reconnected, the 503 says "cannot be reached"; then Redis itself answers LOADING.
                return problem?.Detail?.Contains("still loading", StringComparison.Ordinal) == true
                    ? new { Problem = problem, RetryAfter = response.Headers.RetryAfter?.Delta }
                    : null;
            });

            Assert.NotNull(answer);
            Assert.Equal(503, answer.Problem.Status);
            Assert.Equal(TimeSpan.FromSeconds(1), answer.RetryAfter);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
