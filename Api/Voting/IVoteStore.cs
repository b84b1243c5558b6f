namespace Voting.Api.Voting;

/// <summary>Keeps the counts. Every method is one atomic round trip and returns the counts in ballot order.</summary>
public interface IVoteStore
{
    Task<long[]> GetCountsAsync();

    Task<long[]> CastVoteAsync(int optionIndex);

    Task<long[]> ResetAsync();
}
