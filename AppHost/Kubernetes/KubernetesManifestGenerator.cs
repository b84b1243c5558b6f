using Microsoft.Extensions.Logging;
using Voting.AppHost.Kubernetes.GitOps;
using Voting.AppHost.Kubernetes.Kustomize;
using Voting.AppHost.Kubernetes.Mapping;
using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.SecretsStore;

namespace Voting.AppHost.Kubernetes;

/// <summary>
/// Renders gitops-manifests/ from the app model: <c>base/</c> (one object per file), an overlay per
/// <see cref="DeploymentEnvironment"/>, and, for each GitOps operator, the objects that sync the environments'
/// hydrated folders (which CD writes from the overlays: see <see cref="HydratedEnvironment"/>).
/// </summary>
public static class KubernetesManifestGenerator
{
    /// <summary>The kinds the environments may contain that are not namespaced.</summary>
    private static readonly HashSet<string> ClusterScopedKinds = new(StringComparer.Ordinal) { "Namespace" };

    /// <summary>
    /// Renders every file. <paramref name="existingDirectory"/> is the gitops-manifests/ rendered before, if any:
    /// its overlays' images are kept.
    /// </summary>
    public static async Task<ManifestSet> RenderAsync(
        DistributedApplicationModel model,
        DistributedApplicationExecutionContext executionContext,
        ManifestGenerationOptions options,
        string? existingDirectory,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);

        var workloads = await WorkloadResolver.ResolveAsync(model, executionContext, options, logger, cancellationToken);
        var environments = DeploymentEnvironment.For(options.AppName);
        var set = new ManifestSet();
        var kinds = new SortedSet<(string Group, string Kind)>();

        var baseFiles = AddObjects(set, "base", BaseObjects(workloads), kinds);
        set.Add("base/kustomization.yaml", new Kustomization { Resources = baseFiles });

        foreach (var environment in environments)
        {
            AddOverlay(set, environment, workloads, options, OverlayImages.Read(existingDirectory, environment.Name), kinds);
        }

        AddGateways(set, workloads, environments);

        var context = new GitOpsContext(
            options,
            environments,
            [.. kinds.Where(k => !ClusterScopedKinds.Contains(k.Kind))],
            [.. kinds.Where(k => ClusterScopedKinds.Contains(k.Kind))]);
        foreach (var gitOpsOperator in GitOpsOperators.All)
        {
            // Each folder lists only its own objects: argocd/ holds the root Application alone, which syncs argocd/apps/.
            foreach (var folder in gitOpsOperator.Render(context).GroupBy(o => o.Subfolder))
            {
                var path = folder.Key.Length == 0 ? gitOpsOperator.Folder : $"{gitOpsOperator.Folder}/{folder.Key}";
                var files = AddObjects(set, path, folder.Select(o => o.Content), kinds: null);
                set.Add($"{path}/kustomization.yaml", new Kustomization { Resources = files });
            }
        }

        return set;
    }

    private static IEnumerable<IKubernetesObject> BaseObjects(IReadOnlyList<Workload> workloads)
    {
        yield return NetworkPolicyMapping.DefaultDeny();
        yield return NetworkPolicyMapping.AllowDns();
        foreach (var workload in workloads)
        {
            if (workload.Configuration.Count > 0)
            {
                yield return workload.ToConfigMap();
            }

            yield return workload.Kubernetes.Storage is null ? workload.ToDeployment() : workload.ToStatefulSet();
            yield return workload.ToService();
            if (workload.Kubernetes.Storage is not null)
            {
                yield return workload.ToHeadlessService();
            }

            if (workload.Kubernetes.Gateway is { } gateway)
            {
                yield return workload.ToHttpRoute(gateway);
            }

            yield return workload.ToNetworkPolicy(workloads);
        }
    }

    private static void AddOverlay(
        ManifestSet set,
        DeploymentEnvironment environment,
        IReadOnlyList<Workload> workloads,
        ManifestGenerationOptions options,
        IReadOnlyDictionary<string, KustomizeImage> existingImages,
        SortedSet<(string Group, string Kind)> kinds)
    {
        var folder = environment.OverlayFolder;
        var deployments = workloads.Where(w => w.Kubernetes.Storage is null).ToList();
        var autoscaled = environment.IsProduction
            ? deployments.Where(w => w.Kubernetes.ProductionAutoscaling is not null).ToList()
            : [];

        var extras = autoscaled.SelectMany(w => new IKubernetesObject[]
        {
            w.ToAutoscaler(w.Kubernetes.ProductionAutoscaling!),
            w.ToDisruptionBudget(),
        });
        IKubernetesObject[] guardrails =
        [
            GuardrailMapping.Namespace(environment),
            GuardrailMapping.Quota(environment, workloads),
            GuardrailMapping.Limits(workloads),
        ];
        var resources = new List<string> { "../../base" };
        var keyVault = KeyVaultMapping.EnvironmentObjects(environment, workloads, options);
        resources.AddRange(AddObjects(set, folder, extras.Concat(keyVault).Concat(guardrails), kinds));

        var patches = new List<KustomizePatch>();
        foreach (var workload in workloads.Where(w => w.Kubernetes.Gateway is not null && environment.HostPrefix.Length > 0))
        {
            var host = workload.Kubernetes.Gateway!.Host(environment);
            patches.Add(AddPatch(set, folder, "HTTPRoute", workload.Name, "host", new JsonPatchOperation("replace", "/spec/hostnames/0", host)));
        }

        patches.AddRange(ConfigurationPatches(set, folder, environment, workloads, options));

        foreach (var workload in autoscaled)
        {
            patches.Add(AddPatch(set, folder, "Deployment", workload.Name, "topology-spread",
                new JsonPatchOperation("add", "/spec/template/spec/topologySpreadConstraints", new[] { workload.TopologySpread() })));
        }

        set.Add($"{folder}/kustomization.yaml", new Kustomization
        {
            Resources = resources,
            Namespace = environment.Namespace,
            Labels =
            [
                new KustomizeLabel
                {
                    Pairs = new(StringComparer.Ordinal) { [Labels.PartOf] = options.AppName, [Labels.Environment] = environment.Name },
                },
            ],
            Patches = patches.Count > 0 ? patches : null,
            // Only images CD does not set: CD renders each environment with the images it built (the projects'), so an
            // entry for them here would rename them before CD's images could match.
            Images = [.. workloads.Where(w => !w.IsProject).Select(w => existingImages.GetValueOrDefault(w.ImageName) ?? new KustomizeImage
            {
                Name = w.ImageName,
                NewName = $"{options.Registry}/{w.ImageName}",
                NewTag = w.ImageTag,
            }).OrderBy(i => i.Name, StringComparer.Ordinal)],
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

            var merged = new SortedDictionary<string, string>(workload.Configuration.ToDictionary(), StringComparer.Ordinal);
            foreach (var (name, value) in overrides)
            {
                merged[name] = value;
            }

            yield return AddPatch(set, folder, "ConfigMap", workload.ConfigMapName(), "environment",
                [.. overrides.Select(o => new JsonPatchOperation("add", $"/data/{o.Key}", o.Value))]);
            yield return AddPatch(set, folder, workload.WorkloadKind, workload.Name, "config-checksum",
                new JsonPatchOperation("replace", "/spec/template/metadata/annotations/checksum~1config", ConfigMapMapping.ConfigurationHash(merged)));
        }

        var unknown = workloads.SelectMany(w => w.Kubernetes.ConfigurationByEnvironment.Keys.Select(e => (w.Name, Environment: e)))
            .Where(e => !DeploymentEnvironment.For(options.AppName).Any(known => known.Name == e.Environment))
            .ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"ConfigurationByEnvironment names an environment that does not exist: {string.Join(", ", unknown.Select(u => $"{u.Name}: {u.Environment}"))}.");
        }
    }

    /// <summary>The Gateways the app owns, in gitops-manifests/gateway/: a cluster admin applies them once (docs/deploy.md).</summary>
    private static void AddGateways(ManifestSet set, IReadOnlyList<Workload> workloads, IReadOnlyList<DeploymentEnvironment> environments)
    {
        var owned = workloads.Where(w => w.Kubernetes.Gateway is { AppOwnsGateway: true })
            .GroupBy(w => (w.Kubernetes.Gateway!.GatewayNamespace, w.Kubernetes.Gateway.GatewayName))
            .ToList();
        if (owned.Count == 0)
        {
            return;
        }

        var objects = owned.SelectMany(g => GatewayMapping.GatewayObjects(g.First().Kubernetes.Gateway!, [.. g], environments));
        set.Add("gateway/kustomization.yaml", new Kustomization { Resources = AddObjects(set, "gateway", objects, kinds: null) });
    }

    private static KustomizePatch AddPatch(ManifestSet set, string folder, string kind, string name, string purpose, params JsonPatchOperation[] operations)
    {
        var file = $"{kind.ToLowerInvariant()}-{name}-{purpose}.patch.yaml";
        set.Add($"{folder}/{file}", operations);
        return new KustomizePatch { Path = file, Target = new KustomizeTarget { Kind = kind, Name = name } };
    }

    /// <summary>Adds each object as <c>kind-name.yaml</c> and returns the file names, sorted, for <c>resources:</c>.</summary>
    private static List<string> AddObjects(
        ManifestSet set, string folder, IEnumerable<IKubernetesObject> objects, SortedSet<(string Group, string Kind)>? kinds)
    {
        var files = new List<string>();
        foreach (var item in objects)
        {
            var name = ((IMetadata<V1ObjectMeta>)item).Metadata.Name;
            var file = $"{item.Kind.ToLowerInvariant()}-{name}.yaml";
            set.Add($"{folder}/{file}", item);
            files.Add(file);
            kinds?.Add((item.ApiGroup(), item.Kind));
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
