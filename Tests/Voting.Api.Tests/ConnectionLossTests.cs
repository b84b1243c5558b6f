using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Voting.Api.Voting;

namespace Voting.Api.Tests;

/// <summary>
/// However the Redis client surfaces a connection lost as Redis goes away (a cancelled command, the closed pipe's
/// error, a socket error), the vote, the read and the reset answer as in any outage: 503 with Retry-After, not a 500.
/// Whether the command had reached Redis is unknown then, so a vote or a reset may have taken effect.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ConnectionLossTests(ApiFixture fixture)
{
    public static TheoryData<string> Failures => ["cancelled", "pipe completed", "socket reset", "I/O error"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_vote_a_read_or_a_reset_on_a_lost_connection_is_a_503_with_retry_after(string failure)
    {
        Exception? raw = failure switch
        {
            "cancelled" => null,
            "pipe completed" => new InvalidOperationException("Writing is not allowed after writer was completed."),
            "socket reset" => new SocketException((int)SocketError.ConnectionReset),
            _ => new IOException("Broken pipe"),
        };
        // The vote store gets the stand-in; the health checks keep the real connection, so the Api starts as usual.
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
            configureServices: services => services.AddSingleton<IVoteStore>(
                provider => new RedisVoteStore(ConnectionLossRedis.Create(raw), provider.GetRequiredService<Ballot>())));
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
            // The client cannot say whether a command failing this way had reached Redis: a vote or a reset may have
            // taken effect, and the answer says so. A read changed nothing either way.
            Assert.Contains(method == HttpMethod.Get ? "Nothing was changed" : "may or may not have taken effect", problem.Detail, StringComparison.Ordinal);
            Assert.Equal(method == HttpMethod.Get ? null : "unknown", problem.Outcome);
        }
    }
}
