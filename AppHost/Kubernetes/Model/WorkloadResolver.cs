using Microsoft.Extensions.Logging;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Model;

/// <summary>Reads the app model's projects and containers into <see cref="Workload"/>s.</summary>
internal static class WorkloadResolver
{
    /// <summary>
    /// A local run exports telemetry to the Aspire dashboard; in a cluster the collector is the platform's choice,
    /// so these dashboard-only settings stay out of the manifests.
    /// </summary>
    private const string DashboardOnlyPrefix = "OTEL_";

    public static async Task<IReadOnlyList<Workload>> ResolveAsync(
        DistributedApplicationModel model,
        DistributedApplicationExecutionContext executionContext,
        ManifestGenerationOptions options,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var workloads = new List<Workload>();
        foreach (var resource in model.Resources.Where(r => r is ProjectResource or ContainerResource).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            workloads.Add(await ResolveAsync(resource, executionContext, options, logger, cancellationToken));
        }

        return workloads;
    }

    private static async Task<Workload> ResolveAsync(
        IResource resource,
        DistributedApplicationExecutionContext executionContext,
        ManifestGenerationOptions options,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(resource)
            .WithEnvironmentVariablesConfig()
            .WithArgumentsConfig()
            .BuildAsync(executionContext, logger, cancellationToken);

        var renderer = new ValueRenderer(resource);
        var plain = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var withSecrets = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in configuration.EnvironmentVariablesWithUnprocessed)
        {
            if (name.StartsWith(DashboardOnlyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var (text, usesSecret) = renderer.RenderVariable(value.Unprocessed);
            if (text is null)
            {
                continue;
            }

            if (!usesSecret)
            {
                plain[name] = text;
            }
            else if (!renderer.Secrets.ContainsKey(name) || text != $"$({name})")
            {
                // Not the secret variable itself (that one is emitted from renderer.Secrets) but a value embedding it.
                withSecrets[name] = text;
            }
        }

        var settings = resource.GetKubernetesSettings();
        var (imageName, image) = Image(resource, options);
        var (command, args) = CommandLine(resource, settings, configuration, renderer);

        return new Workload
        {
            Name = resource.Name,
            ImageName = imageName,
            Image = image,
            IsProject = resource is ProjectResource,
            Ports = ClusterPorts.Of(resource),
            Configuration = plain,
            Secrets = [.. renderer.Secrets.Values],
            SecretExpansions = withSecrets,
            Command = command,
            Args = args,
            Connections = [.. renderer.Connections],
            Replicas = resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1,
            Kubernetes = settings,
        };
    }

    private static (IReadOnlyList<string>? Command, IReadOnlyList<string>? Args) CommandLine(
        IResource resource, KubernetesWorkloadSettings settings, IExecutionConfigurationResult configuration, ValueRenderer renderer)
    {
        if (settings.Command is { Count: > 0 } command)
        {
            return (command, null);
        }

        // A project's image starts the app by itself; a container keeps the model's entrypoint and arguments.
        if (resource is not ContainerResource container)
        {
            return (null, null);
        }

        var args = configuration.ArgumentsWithUnprocessed
            .Select(a => renderer.Render(a.Unprocessed) ?? throw new NotSupportedException(
                $"An argument of '{resource.Name}' names an endpoint that is not deployed."))
            .ToList();
        return (container.Entrypoint is { } entrypoint ? [entrypoint] : null, args.Count > 0 ? args : null);
    }

    private static (string Name, string Reference) Image(IResource resource, ManifestGenerationOptions options)
    {
        if (resource is ProjectResource)
        {
            var name = $"{options.AppName}/{resource.Name}";
            return (name, $"{name}:{options.InitialImageTag}");
        }

        var image = resource.Annotations.OfType<ContainerImageAnnotation>().Last();
        var repository = string.IsNullOrEmpty(image.Registry) ? image.Image : $"{image.Registry}/{image.Image}";
        return (repository, image.SHA256 is { Length: > 0 } digest ? $"{repository}@sha256:{digest}" : $"{repository}:{image.Tag}");
    }
}
