using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Voting.Api.Tests;

/// <summary>
/// A Redis error that is not an outage (a damaged vote key) is a bug to see, not a reason to retry: 500 problem
/// details, no Retry-After, logged with the exception, and the vote is not reported as counted.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RedisErrorTests(ApiFixture fixture)
{
    private IDatabase Redis => fixture.RedisClient.GetDatabase();

    [Fact]
    public async Task A_list_at_a_vote_key_wrongtype_is_a_500_problem_logged_with_the_exception()
    {
        var logs = new LogCapture();
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
            configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        using var client = api.CreateRawClient();
        await Redis.KeyDeleteAsync("votes:Cats");
        await Redis.ListLeftPushAsync("votes:Cats", "not a count");
        try
        {
            using var response = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("Retry-After"));
            Assert.Equal(500, (await response.Content.ReadFromJsonAsync<ProblemDto>(cancellationToken: TestContext.Current.CancellationToken))!.Status);
            var entry = Assert.Single(logs.Entries, e => e.Exception is RedisServerException);
            Assert.Equal(LogLevel.Error, entry.Level);
            Assert.StartsWith("WRONGTYPE", entry.Exception!.Message, StringComparison.Ordinal);
            Assert.Equal(RedisType.List, await Redis.KeyTypeAsync("votes:Cats"));
        }
        finally
        {
            await Redis.KeyDeleteAsync("votes:Cats");
        }
    }

    [Fact]
    public async Task A_vote_key_that_holds_no_number_is_a_500_not_a_503()
    {
        await Redis.StringSetAsync("votes:Dogs", "not a count");
        try
        {
            using var response = await fixture.Client.PostAsync("api/votes/Dogs", null, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.False(response.Headers.Contains("Retry-After"));
            Assert.Equal("not a count", await Redis.StringGetAsync("votes:Dogs"));
        }
        finally
        {
            await Redis.KeyDeleteAsync("votes:Dogs");
        }
    }
}
