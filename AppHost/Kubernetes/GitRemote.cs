using System.Text.RegularExpressions;

namespace Voting.AppHost.Kubernetes;

/// <summary>Reads the repository's <c>origin</c> URL, so the Argo CD Applications point where the code is pushed.</summary>
internal static partial class GitRemote
{
    /// <summary>The origin URL in https form (a developer's SSH clone and CI's https clone render the same), or null.</summary>
    public static string? OriginUrl(string directory) =>
        LocalMachine.TryRun("git", ["-C", directory, "remote", "get-url", "origin"], TimeSpan.FromSeconds(10)) is { Length: > 0 } url
            && IsHosted(url)
            ? Normalize(url)
            : null;

    /// <summary>
    /// Only a hosted remote is one Argo CD can pull from. A clone of a local folder (as CI's clean clone is) has a path
    /// for origin: the manifests must not change with the folder a clone was made from.
    /// </summary>
    internal static bool IsHosted(string url) =>
        ScpLikeUrl().IsMatch(url) ||
        (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "git");

    /// <summary><c>git@host:org/repo</c> and <c>https://user@host/org/repo</c> both become <c>https://host/org/repo.git</c>.</summary>
    internal static string Normalize(string url)
    {
        var scp = ScpLikeUrl().Match(url);
        var https = scp.Success
            ? $"https://{scp.Groups["host"].Value}/{scp.Groups["path"].Value}"
            : new UriBuilder(url) { UserName = "", Password = "" }.Uri.GetComponents(
                UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return https.EndsWith(".git", StringComparison.Ordinal) ? https : https + ".git";
    }

    [GeneratedRegex("^[^@/]+@(?<host>[^:/]+):(?<path>.+)$")]
    private static partial Regex ScpLikeUrl();
}
