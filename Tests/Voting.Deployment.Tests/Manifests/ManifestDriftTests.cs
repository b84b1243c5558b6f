using System.Diagnostics;
using Voting.AppHost.Kubernetes;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>The committed gitops-manifests/ is exactly what the AppHost renders: nobody edits it by hand.</summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class ManifestDriftTests(RenderedManifestsFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Committed_manifests_are_what_the_AppHost_renders()
    {
        output.WriteLine($"Rendered {fixture.Manifests.Files.Count} files in {fixture.RenderTime.TotalSeconds:0.0} s.");
        var committed = ManifestSet.OwnedFolders
            .Select(folder => Path.Combine(RenderedManifestsFixture.CommittedDirectory, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.yaml", SearchOption.AllDirectories))
            .ToDictionary(file => Path.GetRelativePath(RenderedManifestsFixture.CommittedDirectory, file).Replace('\\', '/'), File.ReadAllText);

        var differing = committed.Keys.Union(fixture.Manifests.Files.Keys)
            .Where(path => committed.GetValueOrDefault(path) != fixture.Manifests.Files.GetValueOrDefault(path))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(differing.Count == 0,
            $"gitops-manifests/ differs from what the AppHost renders in {string.Join(", ", differing)}.\n"
            + $"Refresh it from the repository root (the output path is relative to AppHost/) with:\n  {RenderedManifestsFixture.RefreshCommand}\n\n"
            + Diff(RenderedManifestsFixture.CommittedDirectory, fixture.RenderedDirectory));
    }

    /// <summary>
    /// Once here, in-process, and once by the publish step a developer runs, in a process of its own (its own string
    /// hashes, so its own hash-set and dictionary orders): output that depends on either, or on the clock, differs.
    /// </summary>
    [Fact]
    public async Task Rendering_twice_gives_the_same_bytes()
    {
        var stepOutput = Directory.CreateTempSubdirectory("gitops-manifests-step-").FullName;
        try
        {
            var inProcess = await fixture.RenderAsync();
            // The configuration these tests were built in (bin/CONFIGURATION/net10.0/), which the AppHost was built in too.
            var configuration = Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!;
            var step = await Script.RunAsync("dotnet",
                ["run", "--project", Path.Combine(Repository.Root, "AppHost"), "--no-build", "-c", configuration, "--",
                    "--operation", "publish", "--step", KubernetesManifestsStep.StepName, "--output-path", stepOutput],
                timeout: TimeSpan.FromMinutes(3));
            Assert.True(step.ExitCode == 0, step.ToString());

            var written = Directory.EnumerateFiles(stepOutput, "*", SearchOption.AllDirectories)
                .ToDictionary(file => Path.GetRelativePath(stepOutput, file).Replace('\\', '/'), File.ReadAllText);
            Assert.Equal(inProcess.Files.Keys.Order(StringComparer.Ordinal), written.Keys.Order(StringComparer.Ordinal));
            foreach (var (path, text) in inProcess.Files)
            {
                Assert.True(text == written[path], $"{path} differs between the two renderings");
                Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(stepOutput, recursive: true);
        }
    }

    /// <summary>A unified diff of the two folders (git's, which reads any two paths), for the failure message.</summary>
    private static string Diff(string committed, string rendered)
    {
        var startInfo = new ProcessStartInfo("git", ["diff", "--no-index", "--no-color", "--", committed, rendered])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo)!;
        var diff = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return diff;
    }
}
