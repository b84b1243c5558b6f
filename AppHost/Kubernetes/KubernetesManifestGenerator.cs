using Microsoft.Extensions.Logging;
using Voting.AppHost.Kubernetes.GatewayApi;
using Voting.AppHost.Kubernetes.GitOps;
using Voting.AppHost.Kubernetes.Kustomize;
using Voting.AppHost.Kubernetes.Mapping;
using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.SecretsStore;

namespace Voting.AppHost.Kubernetes;

/// <summary>
/// Renders gitops-manifests/ from the app model: <c>base/</c> (one object per file), an overlay per
/// <see cref="DeploymentEnvironment"/>, the platform objects a cluster admin applies once, and, for each GitOps operator, the objects that sync
/// each environment from its branch (where CD writes the rendered overlay). Each folder's kustomization.yaml lists its files.
/// </summary>
internal static class KubernetesManifestGenerator
{
    public static async Task<ManifestSet> RenderAsync(
        DistributedApplicationModel model,
        DistributedApplicationExecutionContext executionContext,
        ManifestGenerationOptions options,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);

        var workloads = await WorkloadResolver.ResolveAsync(model, executionContext, options, logger, cancellationToken);
        var environments = DeploymentEnvironment.For(options.AppName);
        var unknown = workloads.SelectMany(w => w.Kubernetes.ConfigurationByEnvironment.Keys.Select(name => (By: w.Name, Name: name)))
            .Concat(options.Environments.Keys.Select(name => (By: $"{ManifestGenerationOptions.SectionName}:Environments", Name: name)))
            .Where(named => environments.All(e => e.Name != named.Name)).Select(named => $"{named.By}: {named.Name}").ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"An environment that does not exist is named by {string.Join(", ", unknown)}.");
        }

        var set = new ManifestSet();
        var kinds = new SortedSet<(string Group, string Kind)>();
        set.Add("base/kustomization.yaml", new Kustomization { Resources = AddObjects(set, "base", BaseObjects(workloads, options), kinds) });
        foreach (var environment in environments)
        {
            AddOverlay(set, environment, workloads, options, kinds);
        }

        // What a cluster admin applies once (docs/deploy.md): the Gateways the app owns, and the class its claims name.
        var platform = workloads.Where(w => w.Kubernetes.Gateway is { AppOwnsGateway: true })
            .GroupBy(w => (w.Kubernetes.Gateway!.GatewayNamespace, w.Kubernetes.Gateway.GatewayName))
            .SelectMany(g => GatewayMapping.GatewayObjects(g.First().Kubernetes.Gateway!, [.. g], environments))
            .Concat(workloads.Any(w => w.Kubernetes.Storage is not null) ? [WorkloadMapping.StorageClass(options.AppName)] : [])
            .ToList();
        if (platform.Count > 0)
        {
            set.Add("platform/kustomization.yaml", new Kustomization { Resources = AddObjects(set, "platform", platform, kinds: null) });
        }

        var context = new GitOpsContext(options, environments, [.. kinds]);
        foreach (var gitOpsOperator in GitOpsOperators.All)
        {
            // Each folder lists only its own objects: argocd/ holds the root Application alone, which syncs argocd/apps/.
            foreach (var folder in gitOpsOperator.Render(context).GroupBy(o => o.Subfolder))
            {
                var path = folder.Key.Length == 0 ? gitOpsOperator.Folder : $"{gitOpsOperator.Folder}/{folder.Key}";
                set.Add($"{path}/kustomization.yaml", new Kustomization { Resources = AddObjects(set, path, folder.Select(o => o.Content), kinds: null) });
            }
        }

        return set;
    }

    private static IEnumerable<ManifestObject> BaseObjects(IReadOnlyList<Workload> workloads, ManifestGenerationOptions options)
    {
        yield return Template.Object("Mapping/networkpolicy-default-deny.yaml", []);
        yield return Template.Object("Mapping/networkpolicy-allow-dns.yaml", []);
        foreach (var workload in workloads)
        {
            if (workload.Configuration.Count > 0)
            {
                yield return ManifestObject.From(workload.ToConfigMap());
            }

            yield return ManifestObject.From(workload.Kubernetes.Storage is null ? workload.ToDeployment() : workload.ToStatefulSet(options.AppName));
            yield return ManifestObject.From(workload.ToService());
            if (workload.Kubernetes.Storage is not null)
            {
                yield return ManifestObject.From(workload.ToService(headless: true));
            }

            if (workload.Kubernetes.Gateway is { } gateway)
            {
                yield return workload.ToHttpRoute(gateway);
            }

            yield return ManifestObject.From(workload.ToNetworkPolicy(workloads));
        }
    }

    /// <summary>
    /// One environment's overlay of base/: its namespace and guardrails, its Key Vault access, its settings and host,
    /// in production the autoscaling extras, the containers' images (CD sets the projects') and the replicas.
    /// </summary>
    private static void AddOverlay(
        ManifestSet set,
        DeploymentEnvironment environment,
        IReadOnlyList<Workload> workloads,
        ManifestGenerationOptions options,
        SortedSet<(string Group, string Kind)> kinds)
    {
        var folder = environment.OverlayFolder;
        var deployments = workloads.Where(w => w.Kubernetes.Storage is null).ToList();
        var autoscaled = deployments.Where(w => environment.IsProduction && w.Kubernetes.ProductionAutoscaling is not null).ToList();

        List<ManifestObject> objects =
        [
            Template.Object("Mapping/namespace.yaml", new() { ["Namespace"] = environment.Namespace, ["NeverDeleted"] = Labels.NeverDeleted() }),
            GuardrailMapping.Quota(environment, workloads),
            GuardrailMapping.Limits(workloads),
            .. KeyVaultMapping.EnvironmentObjects(environment, workloads, options),
        ];
        var patches = new List<KustomizePatch>();
        foreach (var workload in workloads.Where(w => w.Kubernetes.Gateway is not null && environment.HostPrefix.Length > 0))
        {
            var host = workload.Kubernetes.Gateway!.Host(environment);
            patches.Add(AddPatch(set, folder, "HTTPRoute", workload.Name, "host", new JsonPatchOperation("replace", "/spec/hostnames/0", host)));
        }

        patches.AddRange(ConfigurationPatches(set, folder, environment, workloads, options));
        foreach (var workload in autoscaled)
        {
            var scaling = workload.Kubernetes.ProductionAutoscaling!;
            var values = new Dictionary<string, object?>
            {
                ["Name"] = workload.Name,
                ["MinReplicas"] = scaling.MinReplicas,
                ["MaxReplicas"] = scaling.MaxReplicas,
                ["TargetCpuUtilizationPercent"] = scaling.TargetCpuUtilizationPercent,
            };
            objects.Add(Template.Object("Mapping/horizontalpodautoscaler.yaml", values));
            objects.Add(Template.Object("Mapping/poddisruptionbudget.yaml", values));
            patches.Add(AddPatch(set, folder, "Deployment", workload.Name, "topology-spread", Template.Render("Mapping/topology-spread.patch.yaml", values)));
        }

        set.Add($"{folder}/kustomization.yaml", new Kustomization
        {
            Resources = ["../../base", .. AddObjects(set, folder, objects, kinds)],
            Namespace = environment.Namespace,
            Labels = [new KustomizeLabel { Pairs = new(StringComparer.Ordinal) { [Labels.PartOf] = options.AppName, [Labels.Environment] = environment.Name } }],
            Patches = patches.Count > 0 ? patches : null,
            Images = workloads.Select(w => w.OverlayImage).OfType<KustomizeImage>().OrderBy(i => i.Name, StringComparer.Ordinal).ToList() is { Count: > 0 } images
                ? images
                : null,
            Replicas = deployments.Count > autoscaled.Count
                ? [.. deployments.Except(autoscaled).Select(w => new KustomizeReplica { Name = w.Name, Count = w.Replicas })]
                : null,
        });
    }

    /// <summary>
    /// The environment's own settings of each workload (its <c>ConfigurationByEnvironment</c>, and the telemetry's
    /// <c>deployment.environment.name</c>) set over the base's ConfigMap, with the pod template's config checksum
    /// updated so the pods roll onto them.
    /// </summary>
    private static IEnumerable<KustomizePatch> ConfigurationPatches(
        ManifestSet set, string folder, DeploymentEnvironment environment, IReadOnlyList<Workload> workloads, ManifestGenerationOptions options)
    {
        foreach (var workload in workloads)
        {
            var overrides = new SortedDictionary<string, string>(
                workload.Kubernetes.ConfigurationByEnvironment.GetValueOrDefault(environment.Name) ?? [], StringComparer.Ordinal);
            if (workload.Configuration.ContainsKey(WorkloadResolver.ResourceAttributesVariable))
            {
                overrides[WorkloadResolver.ResourceAttributesVariable] = WorkloadResolver.ResourceAttributes(options, environment.Name);
            }

            if (overrides.Count == 0)
            {
                continue;
            }

            if (workload.Configuration.Count == 0)
            {
                throw new InvalidOperationException(
                    $"'{workload.Name}' sets {string.Join(", ", overrides.Keys)} for {environment.Name} but has no ConfigMap to set them in.");
            }

            var merged = overrides.Concat(workload.Configuration.Where(setting => !overrides.ContainsKey(setting.Key)));
            yield return AddPatch(set, folder, "ConfigMap", workload.ConfigMapName(), "environment",
                [.. overrides.Select(o => new JsonPatchOperation("add", $"/data/{o.Key}", o.Value))]);
            yield return AddPatch(set, folder, workload.WorkloadKind, workload.Name, "config-checksum",
                new JsonPatchOperation("replace", "/spec/template/metadata/annotations/checksum~1config", ConfigMapMapping.ConfigurationHash(merged)));
        }
    }

    /// <summary>Adds a patch file of JSON patch operations (a list of them, or the YAML of a filled template).</summary>
    private static KustomizePatch AddPatch(ManifestSet set, string folder, string kind, string name, string purpose, params object[] operations)
    {
        var file = $"{kind.ToLowerInvariant()}-{name}-{purpose}.patch.yaml";
        set.Add($"{folder}/{file}", operations is [string yaml] ? yaml : operations);
        return new KustomizePatch { Path = file, Target = new KustomizeTarget { Kind = kind, Name = name } };
    }

    /// <summary>Adds each object as <c>kind-name.yaml</c> and returns the file names, sorted, for <c>resources:</c>.</summary>
    private static List<string> AddObjects(
        ManifestSet set, string folder, IEnumerable<ManifestObject> objects, SortedSet<(string Group, string Kind)>? kinds)
    {
        var files = new List<string>();
        foreach (var item in objects)
        {
            set.Add($"{folder}/{item.FileName}", item.Yaml);
            files.Add(item.FileName);
            kinds?.Add((item.Group, item.Kind));
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
