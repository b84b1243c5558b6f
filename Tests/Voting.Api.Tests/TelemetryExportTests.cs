namespace Voting.Api.Tests;

/// <summary>
/// Telemetry leaves the Api only where a destination is configured (ServiceDefaults' OpenTelemetry set-up): an OTLP
/// endpoint (the Aspire dashboard, a collector) or an Application Insights connection string (Azure Monitor, as the
/// AKS manifests configure it). Each test points an Api at a <see cref="TelemetryReceiver"/> and votes until the vote's
/// span arrives in one of the batches the exporter sends every few seconds.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TelemetryExportTests(ApiFixture fixture)
{
    private static readonly TimeSpan s_exportWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task With_an_OTLP_endpoint_a_vote_is_exported_as_a_span()
    {
        await using var receiver = await TelemetryReceiver.StartAsync();

        var exported = await VoteUntilExportedAsync(receiver, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }, export => export is { Method: "POST", Path: "/v1/traces" } && export.Contains("api/votes/{option}"));

        Assert.True(exported, "No OTLP trace export held a vote's span.");
    }

    [Fact]
    public async Task With_an_Application_Insights_connection_string_votes_and_logs_are_sent_to_Azure_Monitor()
    {
        await using var receiver = await TelemetryReceiver.StartAsync();
        var instrumentationKey = Guid.NewGuid().ToString();

        // The exporter keeps at most a few traces a second (its default sampling, which the product keeps), and every
        // test in this process makes HTTP calls it sees: the test votes until one vote is among those kept.
        var exported = await VoteUntilExportedAsync(receiver, new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] =
                $"InstrumentationKey={instrumentationKey};IngestionEndpoint={receiver.BaseAddress}",
        }, export => export is { Method: "POST", Path: "/v2.1/track" }
            && export.HasItemWith(instrumentationKey, "\"RequestData\"", "api/votes/{option}"));

        Assert.True(exported, "No Application Insights request item for a vote reached the ingestion endpoint.");
        // Logs go the same way (Application Insights' "traces" table): the Api's start-up lines at least.
        Assert.Contains(receiver.Received, export => export.HasItemWith(instrumentationKey, "\"MessageData\""));
    }

    private async Task<bool> VoteUntilExportedAsync(
        TelemetryReceiver receiver, Dictionary<string, string?> settings, Func<ReceivedExport, bool> expected)
    {
        await using var api = await ApiFixture.StartApiAsync(fixture.Redis.ConnectionString, settings);
        using var client = api.CreateRawClient();
        return await Eventually.TrueWithinAsync(s_exportWait, async () =>
        {
            if (receiver.Received.Any(expected))
            {
                return true;
            }

            using var vote = await client.PostAsync("api/votes/Cats", null, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, vote.StatusCode);
            return false;
        });
    }
}
