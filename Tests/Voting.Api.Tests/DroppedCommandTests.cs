using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Voting.Api.Voting;

namespace Voting.Api.Tests;

/// <summary>
/// A command the Redis client dropped unsent as Redis went away (its task cancelled rather than failed) is an outage:
/// 503 with Retry-After, as when the client reports the lost connection itself, not a 500.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DroppedCommandTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_vote_a_read_or_a_reset_the_client_dropped_unsent_is_a_503_with_retry_after()
    {
        // The vote store gets the stand-in; the health checks keep the real connection, so the Api starts as usual.
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
            configureServices: services => services.AddSingleton<IVoteStore>(
                provider => new RedisVoteStore(CommandDroppingRedis.Create(), provider.GetRequiredService<Ballot>())));
        using var client = api.CreateRawClient();
        var cancel = TestContext.Current.CancellationToken;

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Get, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, method == HttpMethod.Post ? "api/votes/Cats" : "api/votes");
            using var response = await client.SendAsync(request, cancel);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDto>(cancel);
            Assert.Equal(503, problem!.Status);
            Assert.Contains("cannot be reached", problem.Detail, StringComparison.Ordinal);
        }
    }
}
