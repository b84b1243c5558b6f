namespace Voting.Web.Services;

/// <summary>The Api (or the Redis behind it) cannot answer now: the page shows "temporarily unavailable" (503).</summary>
public sealed class VotesApiUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The Api said its store is full (507): votes are refused until an operator makes room; counts are kept.</summary>
    public bool StoreFull { get; init; }

    /// <summary>
    /// A vote or a reset that may have taken effect all the same: the Api said so (a 503 with <c>"outcome": "unknown"</c>:
    /// Redis had received it when the connection dropped or the answer was late), or its answer never came back.
    /// </summary>
    public bool OutcomeUnknown { get; init; }
}
