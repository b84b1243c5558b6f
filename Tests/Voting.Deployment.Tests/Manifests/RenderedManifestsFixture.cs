using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Voting.AppHost.Kubernetes;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// Renders gitops-manifests/ once per collection, in-process, from the real AppHost model built in publish mode
/// (what the <c>kubernetes-manifests</c> step sees), into a temporary folder.
/// </summary>
public sealed class RenderedManifestsFixture : IAsyncLifetime
{
    public const string RefreshCommand =
        "dotnet run --project AppHost -- --operation publish --step kubernetes-manifests --output-path ../gitops-manifests";


    public static string CommittedDirectory => Path.Combine(Repository.Root, "gitops-manifests");

    public string RenderedDirectory { get; } = Directory.CreateTempSubdirectory("gitops-manifests-").FullName;

    public ManifestSet Manifests { get; private set; } = null!;

    public TimeSpan RenderTime { get; private set; }

    /// <summary>The AppHost's app model, built in publish mode.</summary>
    public DistributedApplicationModel Model => _app.Services.GetRequiredService<DistributedApplicationModel>();

    /// <summary>The app model's projects and containers: each is a workload in the cluster.</summary>
    public IReadOnlyList<IResource> Workloads => [.. Model.Resources.Where(r => r is ProjectResource or ContainerResource)];

    /// <summary>The AppHost's <c>Kubernetes</c> settings the manifests were rendered with.</summary>
    public ManifestGenerationOptions Options => _options;

    private DistributedApplication _app = null!;
    private ManifestGenerationOptions _options = null!;

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stopwatch = Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Voting_AppHost>(
            ["--operation", "publish", "--step", KubernetesManifestsStep.StepName, "--output-path", RenderedDirectory],
            timeout.Token).WaitAsync(timeout.Token);
        _app = await builder.BuildAsync(timeout.Token).WaitAsync(timeout.Token);
        _options = ManifestGenerationOptions.FromConfiguration(builder.Configuration);
        Assert.True(_app.Services.GetRequiredService<DistributedApplicationExecutionContext>().IsPublishMode,
            "The AppHost must be built in publish mode, as the step runs.");

        Manifests = await RenderAsync();
        Manifests.WriteTo(RenderedDirectory);
        RenderTime = stopwatch.Elapsed;
    }

    /// <summary>Renders the model as the step does, with the AppHost's settings or <paramref name="options"/>.</summary>
    public async Task<ManifestSet> RenderAsync(ManifestGenerationOptions? options = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await KubernetesManifestGenerator.RenderAsync(
            _app.Services.GetRequiredService<DistributedApplicationModel>(),
            _app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), options ?? _options,
            NullLogger.Instance, timeout.Token);
    }

    /// <summary>
    /// Renders with one change made to the app model, as a developer would make it in AppHost.cs; the model is put back
    /// afterwards, so the collection's other tests see it unchanged.
    /// </summary>
    public async Task<ManifestSet> RenderWithChangeAsync(string resource, Func<KubernetesWorkloadSettings, Action> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var settings = _app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource)
            .Annotations.OfType<KubernetesWorkloadAnnotation>().Single().Settings;
        var undo = change(settings);
        try
        {
            return await RenderAsync();
        }
        finally
        {
            undo();
        }
    }

    /// <summary>The API groups of the custom resources the manifests hold: read as <see cref="CustomResource"/>.</summary>
    private static readonly string[] CustomResourceGroups =
        ["argoproj.io", "gateway.networking.k8s.io", "kustomize.toolkit.fluxcd.io", "notification.toolkit.fluxcd.io", "secrets-store.csi.x-k8s.io", "source.toolkit.fluxcd.io"];

    /// <summary>
    /// The rendered objects of the files under <paramref name="folder"/> (kustomizations and patches excluded): Kubernetes
    /// kinds as KubernetesClient's models, loaded strictly (an unknown field fails), custom resources as <see cref="CustomResource"/>.
    /// </summary>
    public IEnumerable<object> Objects(string folder) => Manifests.Files
        .Where(f => f.Key.StartsWith(folder + "/", StringComparison.Ordinal) && IsObjectFile(f.Key))
        .SelectMany(f => Load(f.Value));

    /// <summary>The objects of a file or of kustomize's output (documents separated by <c>---</c>), as <see cref="Objects"/> reads them.</summary>
    public static IEnumerable<object> Load(string yaml) => yaml.Split("---\n", StringSplitOptions.RemoveEmptyEntries).SelectMany(document =>
        CustomResourceGroups.Any(group => document.StartsWith($"apiVersion: {group}/", StringComparison.Ordinal))
            ? [CustomResource.Parse(document)]
            : KubernetesYaml.LoadAllFromString(document, strict: true));

    /// <summary>The apiVersion, kind, name and namespace of an object <see cref="Load"/> returned, whichever its kind.</summary>
    public static (string ApiVersion, string Kind, string Name, string? Namespace) Identity(object item) => item switch
    {
        CustomResource custom => (custom["apiVersion"]!, custom.Kind, custom.Name, custom["metadata", "namespace"]),
        IKubernetesObject<V1ObjectMeta> typed => (typed.ApiVersion, typed.Kind, typed.Metadata.Name, typed.Metadata.NamespaceProperty),
        _ => throw new ArgumentException($"Not a Kubernetes object: {item}", nameof(item)),
    };

    public static bool IsObjectFile(string path) =>
        !path.EndsWith("/kustomization.yaml", StringComparison.Ordinal) && !path.EndsWith(".patch.yaml", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(RenderedDirectory, recursive: true);
    }

}

[CollectionDefinition(Name)]
public sealed class RenderedManifestsCollection : ICollectionFixture<RenderedManifestsFixture>
{
    public const string Name = "Manifests rendered from the AppHost";
}
