using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Voting.AppHost.Kubernetes;
using Voting.AppHost.Kubernetes.ArgoCd;
using Voting.Tests.Infrastructure;

namespace Voting.Tests.Manifests;

/// <summary>
/// Renders gitops-manifests/ once per collection, in-process, from the real AppHost model built in publish mode
/// (what the <c>kubernetes-manifests</c> step sees), into a temporary folder.
/// </summary>
public sealed class RenderedManifestsFixture : IAsyncLifetime
{
    /// <summary>The Argo CD kinds, which KubernetesClient does not know.</summary>
    public static readonly Dictionary<string, Type> ArgoCdTypes = new()
    {
        ["argoproj.io/v1alpha1/Application"] = typeof(ArgoApplication),
        ["argoproj.io/v1alpha1/AppProject"] = typeof(ArgoAppProject),
    };

    public const string RefreshCommand =
        "dotnet run --project AppHost -- --operation publish --step kubernetes-manifests --output-path ../gitops-manifests";


    public static string CommittedDirectory => Path.Combine(Repository.Root, "gitops-manifests");

    public string RenderedDirectory { get; } = Directory.CreateTempSubdirectory("gitops-manifests-").FullName;

    public ManifestSet Manifests { get; private set; } = null!;

    public TimeSpan RenderTime { get; private set; }

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stopwatch = Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Voting_AppHost>(
            ["--operation", "publish", "--step", KubernetesManifestsStep.StepName, "--output-path", RenderedDirectory],
            timeout.Token).WaitAsync(timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token).WaitAsync(timeout.Token);

        var executionContext = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        Assert.True(executionContext.IsPublishMode, "The AppHost must be built in publish mode, as the step runs.");
        var options = ManifestGenerationOptions.FromConfiguration(builder.Configuration, builder.AppHostDirectory);

        Manifests = await KubernetesManifestGenerator.RenderAsync(
            app.Services.GetRequiredService<DistributedApplicationModel>(), executionContext, options,
            CommittedDirectory, NullLogger.Instance, timeout.Token);
        Manifests.WriteTo(RenderedDirectory);
        RenderTime = stopwatch.Elapsed;
    }

    /// <summary>The rendered objects of the files under <paramref name="folder"/> (kustomizations and patches excluded).</summary>
    public IEnumerable<object> Objects(string folder) => Manifests.Files
        .Where(f => f.Key.StartsWith(folder + "/", StringComparison.Ordinal) && IsObjectFile(f.Key))
        .SelectMany(f => KubernetesYaml.LoadAllFromString(f.Value, ArgoCdTypes, strict: true));

    public static bool IsObjectFile(string path) =>
        !path.EndsWith("/kustomization.yaml", StringComparison.Ordinal) && !path.EndsWith(".patch.yaml", StringComparison.Ordinal);

    public Task DisposeAsync()
    {
        Directory.Delete(RenderedDirectory, recursive: true);
        return Task.CompletedTask;
    }

}

[CollectionDefinition(Name)]
public sealed class RenderedManifestsCollection : ICollectionFixture<RenderedManifestsFixture>
{
    public const string Name = "Manifests rendered from the AppHost";
}
