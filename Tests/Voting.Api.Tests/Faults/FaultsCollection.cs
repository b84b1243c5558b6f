namespace Voting.Api.Tests.Faults;

/// <summary>
/// Fault tests measure time limits (a 503 within a second, recovery within 5 s) and load the machine themselves:
/// they run alone, after the parallel tests, so neither disturbs the other's timing on a CI runner with few cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "Faults, run alone";
}
