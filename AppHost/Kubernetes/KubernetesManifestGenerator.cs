using Microsoft.Extensions.Logging;
using Voting.AppHost.Kubernetes.GitOps;
using Voting.AppHost.Kubernetes.Kustomize;
using Voting.AppHost.Kubernetes.Mapping;
using Voting.AppHost.Kubernetes.Model;

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
            if (workload.Kubernetes.Ingress is { } ingress)
            {
                yield return workload.ToIngress(ingress);
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
        var folder = $"overlays/{environment.Name}";
        var deployments = workloads.Where(w => w.Kubernetes.Storage is null).ToList();
        var autoscaled = environment.IsProduction
            ? deployments.Where(w => w.Kubernetes.ProductionAutoscaling is not null).ToList()
            : [];

        var extras = autoscaled.SelectMany(w => new IKubernetesObject[]
        {
            w.ToAutoscaler(w.Kubernetes.ProductionAutoscaling!),
            w.ToDisruptionBudget(),
        });
        var resources = new List<string> { "../../base" };
        resources.AddRange(AddObjects(set, folder, extras, kinds));

        var patches = new List<KustomizePatch>();
        foreach (var workload in workloads.Where(w => w.Kubernetes.Ingress is not null && environment.HostPrefix.Length > 0))
        {
            var host = environment.HostPrefix + workload.Kubernetes.Ingress!.Host;
            patches.Add(AddPatch(set, folder, "Ingress", workload.Name, "host", new JsonPatchOperation("replace", "/spec/rules/0/host", host)));
        }

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
            Images = [.. workloads.Where(w => w.IsProject).Select(w => existingImages.GetValueOrDefault(w.ImageName) ?? new KustomizeImage
            {
                Name = w.ImageName,
                NewName = $"{options.Registry}/{w.ImageName}",
                NewTag = options.InitialImageTag,
            }).OrderBy(i => i.Name, StringComparer.Ordinal)],
            Replicas = deployments.Count > autoscaled.Count
                ? [.. deployments.Except(autoscaled).Select(w => new KustomizeReplica { Name = w.Name, Count = w.Replicas })]
                : null,
        });
    }

    private static KustomizePatch AddPatch(ManifestSet set, string folder, string kind, string name, string purpose, JsonPatchOperation operation)
    {
        var file = $"{kind.ToLowerInvariant()}-{name}-{purpose}.patch.yaml";
        set.Add($"{folder}/{file}", new[] { operation });
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
