using System.Net;
using System.Net.Http.Json;
using StackExchange.Redis;

namespace Voting.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class VotesApiTests(ApiFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;
    private IDatabase Redis => fixture.RedisClient.GetDatabase();

    [Fact]
    public async Task Get_returns_the_title_and_every_option_with_its_count()
    {
        await ResetAsync();
        await _client.PostAsync("api/votes/Dogs", null, TestContext.Current.CancellationToken);

        var tally = await _client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(tally);
        Assert.Equal("Azure Voting App", tally.Title);
        Assert.Equal(["Cats", "Dogs"], tally.Options.Select(o => o.Name));
        Assert.Equal(0, tally.CountOf("Cats"));
        Assert.Equal(1, tally.CountOf("Dogs"));
    }

    [Theory]
    [InlineData("Cats", 1, 0)]
    [InlineData("Dogs", 0, 1)]
    public async Task A_vote_counts_for_the_option_it_names_and_no_other(string option, long cats, long dogs)
    {
        await ResetAsync();

        using var response = await _client.PostAsync($"api/votes/{option}", null, TestContext.Current.CancellationToken);

        var tally = await response.Content.ReadFromJsonAsync<TallyDto>(TestContext.Current.CancellationToken);
        Assert.Equal((cats, dogs), (tally!.CountOf("Cats"), tally.CountOf("Dogs")));
        Assert.Equal((cats, dogs), ((long)await Redis.StringGetAsync("votes:Cats"), (long)await Redis.StringGetAsync("votes:Dogs")));
    }

    [Fact]
    public async Task Post_counts_one_vote_in_a_namespaced_key_and_returns_the_new_counts()
    {
        await ResetAsync();

        using var first = await _client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        using var second = await _client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var tally = await second.Content.ReadFromJsonAsync<TallyDto>(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, tally!.CountOf("Cats"));
        Assert.Equal(0, tally.CountOf("Dogs"));
        Assert.Equal(2, (long)await Redis.StringGetAsync("votes:Cats"));
    }

    [Fact]
    public async Task Delete_resets_every_count_to_zero()
    {
        await _client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        await _client.PostAsync("api/votes/Dogs", null, TestContext.Current.CancellationToken);

        using var response = await _client.DeleteAsync("api/votes", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tally = await response.Content.ReadFromJsonAsync<TallyDto>(cancellationToken: TestContext.Current.CancellationToken);
        Assert.All(tally!.Options, o => Assert.Equal(0, o.Count));
        Assert.Equal(0, (long)await Redis.StringGetAsync("votes:Cats"));
        Assert.Equal(0, (long)await Redis.StringGetAsync("votes:Dogs"));
    }

    [Fact]
    public async Task A_reset_moves_the_generation_and_every_answer_says_which_generation_its_counts_belong_to()
    {
        var before = await _client.GetFromJsonAsync<TallyDto>("api/votes", TestContext.Current.CancellationToken);

        var vote = await AnswerAsync(_client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken));
        var reset = await AnswerAsync(_client.DeleteAsync("api/votes", TestContext.Current.CancellationToken));
        var voteAfter = await AnswerAsync(_client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken));
        var readAfter = await _client.GetFromJsonAsync<TallyDto>("api/votes", TestContext.Current.CancellationToken);

        var generation = before!.Generation;
        Assert.Equal(generation, vote.Generation);
        Assert.Equal((generation + 1, 0L), (reset.Generation, reset.CountOf("Cats")));
        Assert.Equal((generation + 1, 1L), (voteAfter.Generation, voteAfter.CountOf("Cats")));
        Assert.Equal(generation + 1, readAfter!.Generation);
        Assert.Equal(generation + 1, (long)await Redis.StringGetAsync("votes-generation"));
    }

    [Theory]
    [InlineData("Mice")]
    [InlineData("cats")]
    [InlineData("Cats%20")]
    [InlineData("reset")]
    [InlineData("%2A")]
    [InlineData("votes:Cats")]
    [InlineData("Cats%0ADogs")]
    [InlineData("%E2%9C%93")]
    public async Task Voting_for_anything_not_on_the_ballot_is_a_404_problem_and_changes_nothing(string option)
    {
        var before = await SnapshotAsync();

        using var response = await _client.PostAsync($"api/votes/{option}", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDto>(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(404, problem!.Status);
        Assert.Contains("Cats, Dogs", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_very_long_option_name_is_rejected_and_changes_nothing()
    {
        var before = await SnapshotAsync();

        using var response = await _client.PostAsync($"api/votes/{new string('x', 4000)}", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Concurrent_votes_are_neither_lost_nor_doubled() => await ConcurrentVotesAsync(perOption: 50);

    /// <summary>
    /// A burst of 500 votes at once must all be answered within the Api's 1 s Redis timeout: a check of speed under
    /// load, which depends on the machine, so it runs apart (Category=Timing).
    /// </summary>
    [Fact]
    [Trait("Category", "Timing")]
    public async Task A_burst_of_500_concurrent_votes_is_served_within_the_redis_timeout() => await ConcurrentVotesAsync(perOption: 250);

    private async Task ConcurrentVotesAsync(int perOption)
    {
        await ResetAsync();

        var votes = Enumerable.Range(0, perOption * 2)
            .Select(i => _client.PostAsync(i % 2 == 0 ? "api/votes/Cats" : "api/votes/Dogs", null, TestContext.Current.CancellationToken));
        var responses = await Task.WhenAll(votes);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tally = await _client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(perOption, tally!.CountOf("Cats"));
        Assert.Equal(perOption, tally.CountOf("Dogs"));
        // Each response carries the counts right after its own vote: all distinct, none skipped.
        var catsSeen = new List<long>();
        foreach (var response in responses.Where((_, i) => i % 2 == 0))
        {
            catsSeen.Add((await response.Content.ReadFromJsonAsync<TallyDto>(cancellationToken: TestContext.Current.CancellationToken))!.CountOf("Cats"));
        }

        Assert.Equal(Enumerable.Range(1, perOption).Select(i => (long)i), catsSeen.Order());
    }

    [Fact]
    public async Task Only_the_ballot_keys_are_ever_created_in_redis()
    {
        // From an empty store (this collection's own Redis; its tests run one at a time), so every key is this test's.
        foreach (var key in await KeysAsync())
        {
            await Redis.KeyDeleteAsync(key);
        }

        await _client.PostAsync("api/votes/Mice", null, TestContext.Current.CancellationToken);
        await _client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);

        Assert.Equal(["votes:Cats"], await KeysAsync());
    }

    [Fact]
    public async Task Unknown_routes_get_a_problem_response_not_a_stack_trace()
    {
        using var response = await _client.GetAsync("api/nothing-here", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_is_not_served_in_production_unless_a_setting_turns_it_on()
    {
        using var production = await _client.GetAsync("openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, production.StatusCode);

        await using var development = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString, environment: "Development");
        using var developmentClient = development.CreateRawClient();
        using var served = await developmentClient.GetAsync("openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        var exception = await Assert.ThrowsAnyAsync<InvalidOperationException>(async () =>
        {
            await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
                new Dictionary<string, string?> { ["OpenApi:Enabled"] = "yes" });
        });
        Assert.Contains("OpenApi:Enabled must be 'true' or 'false'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_votes_endpoints()
    {
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
            new Dictionary<string, string?> { ["OpenApi:Enabled"] = "true" });
        using var client = api.CreateRawClient();
        using var document = await System.Text.Json.JsonDocument.ParseAsync(await client.GetStreamAsync("openapi/v1.json", TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);

        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/votes").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/votes").TryGetProperty("delete", out _));
        var vote = paths.GetProperty("/api/votes/{option}").GetProperty("post");
        Assert.True(vote.GetProperty("responses").TryGetProperty("404", out _));
        Assert.True(vote.GetProperty("responses").TryGetProperty("503", out _));
        Assert.True(vote.GetProperty("responses").TryGetProperty("429", out _));
        var reset = paths.GetProperty("/api/votes").GetProperty("delete");
        Assert.True(reset.GetProperty("responses").TryGetProperty("403", out _));
        var generation = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("Tally")
            .GetProperty("properties").GetProperty("generation");
        Assert.Contains("reset", generation.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_endpoints_are_served_outside_development()
    {
        Assert.Equal("Healthy", await _client.GetStringAsync("health", TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", await _client.GetStringAsync("alive", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_interactive_api_reference_is_served_in_development_only()
    {
        using var production = await _client.GetAsync("scalar/v1", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, production.StatusCode);

        await using var development = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString, environment: "Development");
        using var client = development.CreateRawClient();
        using var response = await client.GetAsync("scalar/v1", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<TallyDto> AnswerAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TallyDto>(TestContext.Current.CancellationToken))!;
    }

    private async Task ResetAsync() => (await _client.DeleteAsync("api/votes")).Dispose();

    private async Task<string> SnapshotAsync()
    {
        var keys = await KeysAsync();
        var values = await Redis.StringGetAsync([.. keys.Select(k => (RedisKey)k)]);
        return string.Join(";", keys.Zip(values, (k, v) => $"{k}={v}"));
    }

    private Task<List<string>> KeysAsync() => RedisKeys.AllAsync(fixture.RedisClient);
}
