namespace Voting.Api.Voting;

/// <summary>Keeps the counts. Every method is one atomic round trip and returns the counts it left, with their generation.</summary>
public interface IVoteStore
{
    Task<VoteCounts> GetCountsAsync();

    Task<VoteCounts> CastVoteAsync(int optionIndex);

    Task<VoteCounts> ResetAsync();
}
