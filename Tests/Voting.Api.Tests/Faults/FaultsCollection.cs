namespace Voting.Api.Tests.Faults;

/// <summary>
/// Fault tests stop, fill or restart Redis and load the machine themselves: they run alone, after the parallel tests,
/// so neither slows the other down on a CI runner with few cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "Faults, run alone";
}
