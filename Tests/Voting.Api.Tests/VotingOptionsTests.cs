using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Voting.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class VotingOptionsTests(ApiFixture fixture)
{
    [Fact]
    public async Task Settings_override_appsettings_like_environment_variables_do()
    {
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["TITLE"] = "Favourite pet",
            ["VOTE1VALUE"] = "Fish",
            ["VOTE2VALUE"] = "Birds",
        });
        using var client = api.CreateRawClient();

        var tally = await client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("Favourite pet", tally!.Title);
        Assert.Equal(["Fish", "Birds"], tally.Options.Select(o => o.Name));
        using var vote = await client.PostAsync("api/votes/Fish", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, vote.StatusCode);
        using var oldOption = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, oldOption.StatusCode);
    }

    [Fact]
    public async Task An_empty_setting_is_ignored_as_in_the_original()
    {
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["TITLE"] = "",
            ["VOTE1VALUE"] = "",
        });
        using var client = api.CreateRawClient();

        var tally = await client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);

        // What appsettings.json says, whatever it says: the empty settings did not blank it.
        var shipped = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json").Build();
        Assert.Equal(shipped["TITLE"], tally!.Title);
        Assert.Equal(shipped["VOTE1VALUE"], tally.Options[0].Name);
    }

    [Fact]
    public async Task ShowHost_makes_the_title_the_host_name()
    {
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
            new Dictionary<string, string?> { ["SHOWHOST"] = "true" });
        using var client = api.CreateRawClient();

        var tally = await client.GetFromJsonAsync<TallyDto>("api/votes", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Dns.GetHostName(), tally!.Title);
    }

    [Theory]
    [InlineData("VOTE2VALUE", "Cats", "VOTE1VALUE and VOTE2VALUE must differ")]
    [InlineData("VOTE2VALUE", "cats", "VOTE1VALUE and VOTE2VALUE must differ")]
    [InlineData("VOTE1VALUE", "   ", "VOTE1VALUE must not be blank")]
    [InlineData("TITLE", " ", "TITLE must not be blank")]
    [InlineData("VOTE2VALUE", "Dogs\nCats", "VOTE2VALUE must not contain control characters")]
    [InlineData("SHOWHOST", "yes", "SHOWHOST must be 'true' or 'false'")]
    [InlineData("ALLOW_RESET", "no", "ALLOW_RESET must be 'true' or 'false'")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.244.0.0/16, 10.0.0.0", "ForwardedHeaders:KnownNetworks: '10.0.0.0' is not a CIDR network")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.244.0.0/33", "ForwardedHeaders:KnownNetworks: '10.244.0.0/33'")]
    [InlineData("ForwardedHeaders:KnownProxies", "gateway", "ForwardedHeaders:KnownProxies: 'gateway' is not an IP address")]
    [InlineData("RateLimiting:PermitLimit", "0", "RateLimiting:PermitLimit must be at least 1")]
    [InlineData("RateLimiting:WindowSeconds", "0", "RateLimiting:WindowSeconds must be 1 to 3600")]
    public void Invalid_configuration_fails_validation_naming_the_setting(string key, string value, string message)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => ApiSettings.Validate(new() { [key] = value }));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_settings_and_every_setting_the_deployments_give_are_valid()
    {
        ApiSettings.ValidateShipped();
        ApiSettings.Validate(new()
        {
            ["TITLE"] = "Favourite pet",
            ["VOTE1VALUE"] = "Fish",
            ["VOTE2VALUE"] = "Hamsters",
            ["SHOWHOST"] = "true",
            ["ALLOW_RESET"] = "false",
            ["ForwardedHeaders:KnownNetworks"] = "10.244.0.0/16, 10.0.0.0/8",
            ["ForwardedHeaders:KnownProxies"] = "10.0.0.1",
            ["RateLimiting:PermitLimit"] = "20",
            ["RateLimiting:WindowSeconds"] = "10",
        });
    }

    /// <summary>
    /// The one start-up test the validators need beside their unit tests: an Api given a bad setting does not start,
    /// and says which setting is wrong.
    /// </summary>
    [Fact]
    public async Task An_option_longer_than_64_characters_stops_the_api_at_start_up()
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString,
                new Dictionary<string, string?> { ["VOTE1VALUE"] = new string('x', 65) });
        });

        Assert.Contains("VOTE1VALUE must be at most 64 characters", exception.Message, StringComparison.Ordinal);
    }
}
