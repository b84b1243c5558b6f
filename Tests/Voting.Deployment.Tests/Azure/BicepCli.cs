using System.Diagnostics;
using System.Xml.Linq;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// The Bicep CLI from the NuGet package the test project downloads (Azure.Bicep.CommandLine.linux-x64, version
/// BicepVersion in Directory.Packages.props): the same binary .ci/checks/validate-infra.sh runs, so no install is needed.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string Path { get; } = Locate();

    public static string InfraFolder { get; } = System.IO.Path.Combine(Repository.Root, "infra");

    /// <summary>Runs bicep with the arguments; returns its exit code and everything it printed on stderr.</summary>
    public static async Task<(int ExitCode, string Diagnostics)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var cancellation = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellation.Token);
        var stderr = process.StandardError.ReadToEndAsync(cancellation.Token);
        await process.WaitForExitAsync(cancellation.Token);
        await stdout;
        return (process.ExitCode, (await stderr).Trim());
    }

    private static string Locate()
    {
        var props = XDocument.Load(System.IO.Path.Combine(Repository.Root, "Directory.Packages.props"));
        var version = props.Descendants("BicepVersion").Single().Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = System.IO.Path.Combine(packages, "azure.bicep.commandline.linux-x64", version, "tools", "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI {version} is missing; `dotnet restore Tests` downloads it.", path);
        }

        // NuGet extracts files without the execute bit (the package is the Linux build: Windows never gets here).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }
}
