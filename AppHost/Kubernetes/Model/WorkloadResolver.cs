using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Voting.AppHost.Kubernetes.Kustomize;
using Voting.AppHost.Kubernetes.SecretsStore;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Model;

/// <summary>Reads the app model's projects and containers into <see cref="Workload"/>s.</summary>
internal static partial class WorkloadResolver
{
    /// <summary>
    /// A local run exports telemetry to the Aspire dashboard; in a cluster the collector is the platform's choice, so
    /// the exporter's endpoint, protocol and headers stay out of the manifests. The service's identity stays in.
    /// </summary>
    private const string ExporterPrefix = "OTEL_EXPORTER_OTLP_";

    /// <summary>
    /// Aspire sets this on every project; it trusts <c>X-Forwarded-*</c> from any peer, so any pod could forge a
    /// client address. Exposed workloads get <c>ForwardedHeaders__KnownNetworks</c> instead (see <see cref="ManifestGenerationOptions.PodCidr"/>).
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

        var unknown = options.ContainerImages.Keys.Where(name => !workloads.Any(w => w.Name == name && w.OverlayImage is not null)).ToList();
        return unknown.Count == 0 ? workloads : throw new InvalidOperationException(
            $"{ManifestGenerationOptions.SectionName}:ContainerImages names what is not a container of the app model: {string.Join(", ", unknown)}.");
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
        foreach (var (variable, secretVariable) in settings.SecretFiles)
        {
            withSecrets[variable] = renderer.Secrets.TryGetValue(secretVariable, out var secret)
                ? KeyVaultMapping.SecretFile(secret.SecretName)
                : throw new InvalidOperationException(
                    $"'{resource.Name}': SecretFiles maps {variable} to {secretVariable}, which is not a secret variable of the workload.");
        }

        AddClusterSettings(resource, settings, options, plain);
        var (image, overlayImage) = Image(resource, options);
        var (command, args) = CommandLine(resource, settings, configuration, renderer);

        List<SecretVariable> secrets = [.. renderer.Secrets.Values
            .Concat(settings.ExportsToAzureMonitor ? [AzureMonitorExport.SecretVariable] : [])
            .OrderBy(s => s.Name, StringComparer.Ordinal)];

        return new Workload
        {
            Name = resource.Name,
            Image = image,
            OverlayImage = overlayImage,
            IsProject = resource is ProjectResource,
            Ports = ClusterPorts.Of(resource),
            Configuration = plain,
            Secrets = secrets,
            ServiceAccountName = secrets.Count > 0 ? options.WorkloadServiceAccountName : null,
            ContainerVariables = withSecrets,
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
            if (gateway.ProxyNetwork is { } network)
            {
                ManifestGenerationOptions.RequireCidr($"The Gateway ProxyNetwork of {resource.Name}", network, "10.225.0.0/24");
            }

            plain[KnownNetworksVariable] = gateway.ProxyNetwork ?? options.PodCidr;
        }
    }

    /// <summary>OpenTelemetry resource attributes: <c>service.namespace</c> groups the app's services in any backend.</summary>
    public static string ResourceAttributes(ManifestGenerationOptions options, string? environment) =>
        environment is null
            ? $"service.namespace={options.AppName}"
            : $"deployment.environment.name={environment},service.namespace={options.AppName}";

    private static (IReadOnlyList<string>? Command, IReadOnlyList<string>? Args) CommandLine(
        IResource resource, KubernetesWorkloadSettings settings, IExecutionConfigurationResult configuration, ValueRenderer renderer)
    {
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
    /// The base's image reference and, for a container, its overlay entry. A container's image is named by its last
    /// path segment (<c>library/redis</c> -> <c>redis</c>), and the overlays point it at
    /// <see cref="ManifestGenerationOptions.ContainerImages"/>, so nodes never pull from a public registry.
    /// </summary>
    private static (string Reference, KustomizeImage? Overlay) Image(IResource resource, ManifestGenerationOptions options)
    {
        if (resource is ProjectResource)
        {
            return ($"{options.AppName}/{resource.Name}:{options.InitialImageTag}", null);
        }

        var image = resource.Annotations.OfType<ContainerImageAnnotation>().Last();
        var name = image.Image[(image.Image.LastIndexOf('/') + 1)..];
        var tag = image.Tag ?? options.InitialImageTag;
        var pulled = options.ContainerImages.GetValueOrDefault(resource.Name) ?? $"{ManifestGenerationOptions.PlaceholderRegistry}/{name}:{tag}";
        var parts = ImageReference().Match(pulled);
        if (!parts.Success)
        {
            throw new InvalidOperationException(
                $"{ManifestGenerationOptions.SectionName}:ContainerImages:{resource.Name} '{pulled}' is not REGISTRY/NAME:TAG or REGISTRY/NAME@sha256:DIGEST.");
        }

        return (image.SHA256 is { Length: > 0 } digest ? $"{name}@sha256:{digest}" : $"{name}:{tag}", new KustomizeImage
        {
            Name = name,
            NewName = parts.Groups["name"].Value,
            NewTag = parts.Groups["tag"].Success ? parts.Groups["tag"].Value : null,
            Digest = parts.Groups["digest"].Success ? parts.Groups["digest"].Value : null,
        });
    }

    [GeneratedRegex(@"^(?<name>[^@\s]+?)(?::(?<tag>\w[\w.-]{0,127})|@(?<digest>sha256:[0-9a-f]{64}))$")]
    private static partial Regex ImageReference();
}
