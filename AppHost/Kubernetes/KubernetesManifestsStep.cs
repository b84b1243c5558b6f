using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Voting.AppHost.Kubernetes;

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

        // The pipeline API is experimental in Aspire 13.6, and the only supported way to add a publish step.
#pragma warning disable ASPIREPIPELINES001
        builder.Pipeline.AddStep(StepName, context => RenderAsync(context, builder), requiredBy: WellKnownPipelineSteps.Publish);
#pragma warning restore ASPIREPIPELINES001
        return builder;
    }

#pragma warning disable ASPIREPIPELINES001 // PipelineStepContext: see AddKubernetesManifests.
    private static async Task RenderAsync(PipelineStepContext context, IDistributedApplicationBuilder builder)
#pragma warning restore ASPIREPIPELINES001
    {
        // The folder given with --output-path; its API is experimental in 13.6 too.
#pragma warning disable ASPIREPIPELINES004
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();
#pragma warning restore ASPIREPIPELINES004
        var options = ManifestGenerationOptions.FromConfiguration(builder.Configuration, builder.AppHostDirectory);
        var manifests = await KubernetesManifestGenerator.RenderAsync(
            context.Model, context.ExecutionContext, options, output, context.Logger, context.CancellationToken);
        manifests.WriteTo(output);
        context.Logger.LogInformation("Wrote {Count} files to {Output} (Argo CD source: {RepoUrl}).", manifests.Files.Count, output, options.RepoUrl);
    }
}
