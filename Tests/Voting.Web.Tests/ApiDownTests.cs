using System.Net;
using Voting.AppHost;

namespace Voting.Web.Tests;

/// <summary>The Web with no Api behind it: a clear 503 page, never a stack trace. It needs no Redis: the Web has none.</summary>
public sealed class ApiDownTests
{
    [Fact]
    public async Task The_page_answers_503_temporarily_unavailable_when_the_api_is_down()
    {
        await using var web = StartWebWithoutApi();
        using var browser = web.CreateRawClient();

        using var response = await browser.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("temporarily unavailable", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        // The Web itself is fine: it stays alive and ready, to keep serving this page.
        Assert.Equal("Healthy", await browser.GetStringAsync("health", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_vote_the_api_never_received_gets_the_plain_try_again_page()
    {
        await using var web = StartWebWithoutApi();
        using var browser = web.CreateRawClient();

        // The connection is refused: nothing was sent, so trying again is safe, and the page says just that.
        using var response = await VotingPage.SubmitAsync(browser, new() { ["vote"] = "Cats" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Please try again in a moment.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("may or may not", body, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Timing")]
    public async Task The_503_page_comes_within_the_api_call_budget()
    {
        await using var web = StartWebWithoutApi();
        using var browser = web.CreateRawClient();

        var started = TimeProvider.System.GetTimestamp();
        using var response = await browser.GetAsync("/", TestContext.Current.CancellationToken);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(elapsed < TimeSpan.FromSeconds(6), $"The 503 took {elapsed}.");
    }

    /// <summary>A Web pointed at a loopback port nothing listens on: connections are refused, as with an Api that is down.</summary>
    private static KestrelFactory<Program> StartWebWithoutApi() =>
        WebFixture.StartWeb(new Uri($"http://127.0.0.1:{LocalMachine.FreeLoopbackPort()}"));
}
