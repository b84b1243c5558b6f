namespace Voting.AppHost.VoteStore;

internal static class ExecutableSearch
{
    /// <summary>True when <paramref name="name"/> is an existing file in one of PATH's folders.</summary>
    public static bool IsOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, name)));
}
