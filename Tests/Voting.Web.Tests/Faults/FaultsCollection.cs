namespace Voting.Web.Tests.Faults;

/// <summary>Fault tests stop, fill or restart Redis under the Web and the Api: they run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "Web faults, run alone";
}
