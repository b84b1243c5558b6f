using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Voting.AppHost.Kubernetes;

// The pipeline API (a publish step, its context, its output folder) is experimental in Aspire 13.6, and the only
// supported way to add a publish step.
#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004

public static class KubernetesManifestsStep
{
    public const string StepName = "kubernetes-manifests";

    /// <summary>
    /// Adds the publish step that renders gitops-manifests/ from this app model. Run only it (a full publish would
    /// also build and push images):
    /// <c>dotnet run --project AppHost -- --operation publish --step kubernetes-manifests --output-path ../gitops-manifests</c>.
    /// </summary>
    public static IDistributedApplicationBuilder AddKubernetesManifests(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Pipeline.AddStep(StepName, context => RenderAsync(context, builder), requiredBy: WellKnownPipelineSteps.Publish);
        return builder;
    }

    private static async Task RenderAsync(PipelineStepContext context, IDistributedApplicationBuilder builder)
    {
        // The folder given with --output-path.
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
        var options = ManifestGenerationOptions.FromConfiguration(builder.Configuration);
        var manifests = await KubernetesManifestGenerator.RenderAsync(
            context.Model, context.ExecutionContext, options, context.Logger, context.CancellationToken);
        manifests.WriteTo(output);
        context.Logger.LogInformation("Wrote {Count} files to {Output} (Argo CD source: {RepoUrl}).", manifests.Files.Count, output, options.RepoUrl);
    }
}
