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

    [Fact]
    public void Rendering_twice_gives_the_same_bytes()
    {
        var again = Directory.CreateTempSubdirectory("gitops-manifests-again-").FullName;
        try
        {
            fixture.Manifests.WriteTo(again);
            foreach (var (path, text) in fixture.Manifests.Files)
            {
                Assert.Equal(text, File.ReadAllText(Path.Combine(again, path)));
                Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(again, recursive: true);
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
