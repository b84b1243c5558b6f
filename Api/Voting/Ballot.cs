using System.Net;
using Microsoft.Extensions.Options;

namespace Voting.Api.Voting;

/// <summary>What is on the ballot: its title, the options in order, and whether it may be reset. Built once from <see cref="VotingOptions"/>.</summary>
public sealed class Ballot
{
    public Ballot(IOptions<VotingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        Title = value.ShowHost ? Dns.GetHostName() : value.Title;
        Options = [value.Vote1Value, value.Vote2Value];
        ResetAllowed = value.AllowReset;
    }

    public string Title { get; }

    public IReadOnlyList<string> Options { get; }

    /// <summary>Whether the counts may be reset (ALLOW_RESET).</summary>
    public bool ResetAllowed { get; }

    /// <summary>The index of <paramref name="option"/> on the ballot (exact, case-sensitive match), or -1.</summary>
    public int IndexOf(string option)
    {
        for (var i = 0; i < Options.Count; i++)
        {
            if (string.Equals(Options[i], option, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
