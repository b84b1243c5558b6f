using System.Net;
using Voting.AppHost;

namespace Voting.Web.Tests;

/// <summary>The Web with no Api behind it: a clear 503 page, quickly, never a stack trace.</summary>
[Collection(WebCollection.Name)]
public sealed class ApiDownTests(WebFixture fixture)
{
    [Fact]
    public async Task The_page_answers_503_temporarily_unavailable_when_the_api_is_down()
    {
        await using var web = WebFixture.StartWeb(new Uri($"http://127.0.0.1:{LocalMachine.FreeLoopbackPort()}"), fixture.Redis.ConnectionString);
        using var browser = web.CreateRawClient();

        var started = TimeProvider.System.GetTimestamp();
        using var response = await browser.GetAsync("/", TestContext.Current.CancellationToken);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("temporarily unavailable", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(6), $"The 503 took {elapsed}.");
        // The Web itself is fine: it stays alive and ready, to keep serving this page.
        Assert.Equal("Healthy", await browser.GetStringAsync("health", TestContext.Current.CancellationToken));
    }
}
