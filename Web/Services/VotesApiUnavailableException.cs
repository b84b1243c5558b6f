namespace Voting.Web.Services;

/// <summary>The Api (or the Redis behind it) cannot answer now: the page shows "temporarily unavailable" (503).</summary>
public sealed class VotesApiUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
