namespace Voting.Api.Voting;

/// <summary>
/// The ballot's settings. The keys are the original Azure voting app's (TITLE, VOTE1VALUE, VOTE2VALUE, SHOWHOST), plus ALLOW_RESET,
/// so configuration written for it carries over; <see cref="VotingOptionsSetup"/> reads them.
/// </summary>
public sealed class VotingOptions
{
    public const string TitleKey = "TITLE";
    public const string Vote1ValueKey = "VOTE1VALUE";
    public const string Vote2ValueKey = "VOTE2VALUE";
    public const string ShowHostKey = "SHOWHOST";
    public const string AllowResetKey = "ALLOW_RESET";

    public string Title { get; set; } = "Azure Voting App";

    public string Vote1Value { get; set; } = "Cats";

    public string Vote2Value { get; set; } = "Dogs";

    /// <summary>When true the page title is the host name, as in the original (handy to see which replica answered).</summary>
    public bool ShowHost { get; set; }

    /// <summary>When false nobody can reset the counts: <c>DELETE /api/votes</c> answers 403 and the page hides its button.</summary>
    public bool AllowReset { get; set; } = true;
}
