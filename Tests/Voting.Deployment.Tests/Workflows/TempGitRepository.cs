namespace Voting.Deployment.Tests.Workflows;

/// <summary>A throwaway git repository with one commit of the given files, deleted on dispose.</summary>
public sealed class TempGitRepository : IDisposable
{
    private TempGitRepository(string path) => Path = path;

    public string Path { get; }

    public static async Task<TempGitRepository> CreateAsync(IReadOnlyDictionary<string, string> files)
    {
        var repository = new TempGitRepository(Directory.CreateTempSubdirectory("voting-workflow-test-").FullName);
        foreach (var (name, content) in files)
        {
            repository.Write(name, content);
        }

        await repository.GitAsync("init", "--quiet", "--initial-branch=main");
        await repository.GitAsync("add", ".");
        await repository.GitAsync("commit", "--quiet", "-m", "Initial manifests");
        return repository;
    }

    private void Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
    }

    /// <summary>Runs git here with a fixed identity, so the tests need no global git configuration.</summary>
    public Task<string> GitAsync(params string[] arguments) =>
        Script.RunCheckedAsync("git", Path, ["-c", "user.name=Test", "-c", "user.email=test@example.com", .. arguments]);

    /// <summary>Files changed since the last commit, as `git status --porcelain` lists them.</summary>
    public async Task<string> StatusAsync() => (await GitAsync("status", "--porcelain")).TrimEnd();

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
