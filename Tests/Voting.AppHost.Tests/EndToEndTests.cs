using System.Net;
using System.Net.Http.Json;

namespace Voting.AppHost.Tests;

[Collection(AppHostCollection.Name)]
public sealed class EndToEndTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_vote_cast_on_the_web_page_is_counted_by_the_api()
    {
        using var browser = fixture.CreateRawClient("web");
        using var api = fixture.CreateRawClient("api");
        var before = (await api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken))!.CountOf("Cats");

        var page = await VotingPage.LoadAsync(browser);
        using var vote = await page.ClickAsync(browser, "button1");

        Assert.Equal(HttpStatusCode.SeeOther, vote.StatusCode);
        var after = await api.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(before + 1, after!.CountOf("Cats"));
        Assert.Contains($"Cats - {before + 1} |", (await VotingPage.LoadAsync(browser)).Results, StringComparison.Ordinal);
    }
}
