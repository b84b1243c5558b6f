using System.Diagnostics;

namespace Voting.Testing;

/// <summary>What a finished command returned.</summary>
public sealed record ScriptResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs the repository's scripts (and the tools they use) as a workflow step would: a real process.</summary>
public static class Script
{
    public static string RepositoryRoot => Repository.Root;

    /// <summary>A script under .github/scripts.</summary>
    public static string Path(string name) => System.IO.Path.Combine(RepositoryRoot, ".github", "scripts", name);

    /// <summary>chmod u+x, where files have Unix modes (the scripts run only there): for the stand-ins tests write.</summary>
    public static void MakeExecutable(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public static async Task<ScriptResult> RunAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} ran over its timeout.");
        }

        return new ScriptResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs a command that must succeed (test set-up), and returns its output.</summary>
    public static async Task<string> RunCheckedAsync(string fileName, string workingDirectory, params string[] arguments)
    {
        var result = await RunAsync(fileName, arguments, workingDirectory);
        Assert.True(result.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)}: {result}");
        return result.Output;
    }

}
