namespace Voting.Testing;

/// <summary>The repository the tests run from: its root is the folder with Sample.sln above the test assembly.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>A built project's output folder, in the configuration the tests were built in (Debug or Release).</summary>
    public static string OutputOf(string projectFolder)
    {
        // Tests/bin/<configuration>/net10.0/
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        return Path.Combine(Root, projectFolder, "bin", configuration, "net10.0");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sample.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Sample.sln above {AppContext.BaseDirectory}.");
    }
}
