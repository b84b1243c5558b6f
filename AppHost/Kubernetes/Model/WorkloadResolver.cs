using Microsoft.Extensions.Logging;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Model;

/// <summary>Reads the app model's projects and containers into <see cref="Workload"/>s.</summary>
internal static class WorkloadResolver
{
    /// <summary>
    /// A local run exports telemetry to the Aspire dashboard; in a cluster the collector is the platform's choice, so
    /// the exporter's endpoint, protocol and headers stay out of the manifests. The service's identity stays in.
    /// </summary>
    private const string ExporterPrefix = "OTEL_EXPORTER_OTLP_";

    /// <summary>
    /// Aspire sets this on every project; it trusts <c>X-Forwarded-*</c> from any peer, so any pod could forge a
    /// client address. Exposed workloads get <c>ForwardedHeaders__KnownNetworks</c> instead (see <see cref="ExternalGateway"/>).
    /// </summary>
    private const string TrustEveryProxy = "ASPNETCORE_FORWARDEDHEADERS_ENABLED";

    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    public const string ResourceAttributesVariable = "OTEL_RESOURCE_ATTRIBUTES";
    public const string KnownNetworksVariable = "ForwardedHeaders__KnownNetworks";

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
            if (name.StartsWith(ExporterPrefix, StringComparison.Ordinal) || name == TrustEveryProxy)
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
        AddClusterSettings(resource, settings, options, plain);
        var (imageName, image, imageTag) = Image(resource, options);
        var (command, args) = CommandLine(resource, settings, configuration, renderer);

        List<SecretVariable> secrets = [.. renderer.Secrets.Values
            .Concat(SecretAliases(resource, settings, renderer))
            .Concat(settings.ExportsToAzureMonitor ? [AzureMonitorExport.SecretVariable] : [])
            .OrderBy(s => s.Name, StringComparer.Ordinal)];

        return new Workload
        {
            Name = resource.Name,
            ImageName = imageName,
            Image = image,
            ImageTag = imageTag,
            IsProject = resource is ProjectResource,
            Ports = ClusterPorts.Of(resource),
            Configuration = plain,
            Secrets = secrets,
            ServiceAccountName = secrets.Count > 0 ? options.WorkloadServiceAccountName : null,
            SecretExpansions = withSecrets,
            Command = command,
            Args = args,
            Connections = [.. renderer.Connections.OrderBy(c => c.Target, StringComparer.Ordinal).ThenBy(c => c.Port)],
            Replicas = resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1,
            Kubernetes = settings,
        };
    }

    /// <summary>
    /// What the cluster adds to the model's variables: the telemetry identity (the dashboard names services itself in a
    /// local run, so the model carries none in publish mode) and, for exposed workloads, the proxies to trust.
    /// Overlays add <c>deployment.environment.name</c> to the resource attributes.
    /// </summary>
    private static void AddClusterSettings(
        IResource resource, KubernetesWorkloadSettings settings, ManifestGenerationOptions options, SortedDictionary<string, string> plain)
    {
        if (resource.Annotations.OfType<OtlpExporterAnnotation>().Any())
        {
            plain[ServiceNameVariable] = resource.Name;
            plain[ResourceAttributesVariable] = ResourceAttributes(options, environment: null);
        }

        if (settings.Gateway is { } gateway)
        {
            plain[KnownNetworksVariable] = gateway.ProxyNetwork;
        }
    }

    /// <summary>OpenTelemetry resource attributes: <c>service.namespace</c> groups the app's services in any backend.</summary>
    public static string ResourceAttributes(ManifestGenerationOptions options, string? environment) =>
        environment is null
            ? $"service.namespace={options.AppName}"
            : $"deployment.environment.name={environment},service.namespace={options.AppName}";

    /// <summary>Variables a readiness command reads, filled from the same Secret as the secret variable they name.</summary>
    private static IEnumerable<SecretVariable> SecretAliases(IResource resource, KubernetesWorkloadSettings settings, ValueRenderer renderer) =>
        (settings.ReadinessCommand?.SecretVariables ?? new Dictionary<string, string>()).Select(alias =>
            renderer.Secrets.TryGetValue(alias.Value, out var secret)
                ? secret with { Name = alias.Key }
                : throw new InvalidOperationException(
                    $"'{resource.Name}': ReadinessCommand.SecretVariables maps {alias.Key} to {alias.Value}, which is not a secret variable of the workload."));

    private static (IReadOnlyList<string>? Command, IReadOnlyList<string>? Args) CommandLine(
        IResource resource, KubernetesWorkloadSettings settings, IExecutionConfigurationResult configuration, ValueRenderer renderer)
    {
        if (settings.Command is { Count: > 0 } command)
        {
            return (command, settings.Args);
        }

        if (settings.Args is { Count: > 0 } clusterArgs)
        {
            return (null, clusterArgs);
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

    /// <summary>
    /// The name overlays' <c>images:</c> map, the base's reference, and the tag of a new overlay entry. A container's
    /// image is named by its last path segment (<c>library/redis</c> -> <c>redis</c>): the overlays point every image
    /// at the project's registry, where the bootstrap imports it, so nodes never pull from a public registry.
    /// </summary>
    private static (string Name, string Reference, string Tag) Image(IResource resource, ManifestGenerationOptions options)
    {
        if (resource is ProjectResource)
        {
            var name = $"{options.AppName}/{resource.Name}";
            return (name, $"{name}:{options.InitialImageTag}", options.InitialImageTag);
        }

        var image = resource.Annotations.OfType<ContainerImageAnnotation>().Last();
        var shortName = image.Image[(image.Image.LastIndexOf('/') + 1)..];
        var tag = image.Tag ?? options.InitialImageTag;
        return (shortName, image.SHA256 is { Length: > 0 } digest ? $"{shortName}@sha256:{digest}" : $"{shortName}:{tag}", tag);
    }
}
