namespace Voting.Api.Voting;

/// <summary>The vote store could not complete a request (the 503 the Api answers).</summary>
public sealed class VoteStoreUnavailableException(string message) : Exception(message);
