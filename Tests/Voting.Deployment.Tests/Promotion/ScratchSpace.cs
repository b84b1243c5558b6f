namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// Where the promotion tests keep their repositories, and the scripts they run their temporary files: in memory
/// (/dev/shm) where the machine has it, else the temporary folder. They create and delete thousands of small files (git
/// objects, renderings); on this machine's disk filesystem finding a free inode for each cost more CPU than git's own
/// work (measured with perf).
/// </summary>
public static class ScratchSpace
{
    public static string Root { get; } = Directory.Exists("/dev/shm") && IsWritable("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>A new empty folder under <see cref="Root"/>.</summary>
    public static string NewFolder(string prefix)
    {
        var folder = Path.Combine(Root, $"{prefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static bool IsWritable(string folder)
    {
        try
        {
            Directory.Delete(Directory.CreateDirectory(Path.Combine(folder, $"voting-probe-{Guid.NewGuid():N}")).FullName);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
