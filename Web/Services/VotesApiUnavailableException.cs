namespace Voting.Web.Services;

/// <summary>The Api (or the Redis behind it) cannot answer now: the page shows "temporarily unavailable" (503).</summary>
public sealed class VotesApiUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The Api said its store is full (507): votes are refused until an operator makes room; counts are kept.</summary>
    public bool StoreFull { get; init; }
}
