using System.Diagnostics.Metrics;

namespace Voting.Api.Voting;

/// <summary>The app's own metrics: votes counted, tagged by option.</summary>
public sealed class VotingMetrics
{
    public const string MeterName = "Voting.Api";
    public const string VotesCounterName = "voting.votes";
    public const string OptionTag = "voting.option";

    private readonly Counter<long> _votes;

    public VotingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _votes = meter.CreateCounter<long>(VotesCounterName, unit: "{vote}", description: "Votes counted, by option.");
    }

    public void VoteCounted(string option) => _votes.Add(1, new KeyValuePair<string, object?>(OptionTag, option));
}
