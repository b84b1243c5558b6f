using System.Text.RegularExpressions;
using k8s.Models;
using Voting.Deployment.Tests.Manifests;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// What infra/ promises the generated manifests, and what they need from it: the pod network the Web trusts forwarded
/// headers from, and a push-mode deploy role that can apply, prune and watch every object an overlay pushes.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed partial class ManifestContractTests(RenderedManifestsFixture manifests, CompiledTemplateFixture infra)
    : IClassFixture<CompiledTemplateFixture>
{
    private const string Prefix = "Microsoft.ContainerService/managedClusters/";

    /// <summary>Kubernetes' own API groups; any other group is a custom resource to Azure RBAC for Kubernetes.</summary>
    private static readonly HashSet<string> BuiltInGroups =
    [
        "", "apps", "autoscaling", "batch", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
        "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "scheduling.k8s.io", "node.k8s.io",
    ];

    /// <summary>
    /// What the push script reads besides the objects it applies: its ApplySet parent and known-good record
    /// (ConfigMaps), and a rollout's progress and failure (workloads, their revisions, pods and events).
    /// </summary>
    private static readonly string[] PushReads =
    [
        "configmaps/read", "configmaps/write", "apps/deployments/read", "apps/replicasets/read", "apps/statefulsets/read",
        "apps/controllerrevisions/read", "pods/read", "events/read", "events.k8s.io/events/read",
    ];

    private static readonly string[] Verbs = ["read", "write", "delete"];

    private static readonly string[] Folders = ["overlays/dev", "overlays/prod", "base"];

    [Fact]
    public void The_pod_network_the_cluster_runs_is_the_one_the_Web_trusts_forwarded_headers_from()
    {
        var output = ArmExpression.EvaluateString(infra.Template["outputs"]!["podCidr"]!["value"]!.DeepClone(), MainContext());
        var cluster = infra.Resources().Single(r => r.Type == "Microsoft.ContainerService/managedClusters");
        var trusted = manifests.Objects("base").OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "web-config")
            .Data["ForwardedHeaders__KnownNetworks"];

        Assert.Equal(output, cluster.Evaluate("properties.networkProfile.podCidr"));
        Assert.Equal(output, trusted);
    }

    [Fact]
    public void The_deploy_role_can_apply_prune_and_watch_every_object_push_mode_applies()
    {
        var role = infra.Resources().Single(r => r.Type == "Microsoft.Authorization/roleDefinitions" && r.Name == "deployerRole");
        var granted = CustomRoleTests.Permissions(role, "dataActions");
        var condition = DeployerAssignments().Select(a => a.Evaluate("properties.condition")).Distinct().Single()!;
        var allowedCustom = CustomResourceCondition().Matches(condition).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToHashSet();

        var missing = new List<string>();
        foreach (var (group, resource) in PushedKinds())
        {
            if (BuiltInGroups.Contains(group))
            {
                var path = group.Length == 0 ? resource : $"{group}/{resource}";
                missing.AddRange(Verbs.Select(verb => $"{path}/{verb}")
                    .Where(action => !granted.Any(g => CustomRoleTests.Grants(g, Prefix + action))));
            }
            else
            {
                missing.AddRange(Verbs.Select(verb => $"customresources/{verb}")
                    .Where(action => !granted.Contains(Prefix + action)).Select(action => $"{action} ({group}/{resource})"));
                if (!allowedCustom.Contains((group, resource)))
                {
                    missing.Add($"{group}/{resource}: not allowed by the role assignment's condition");
                }
            }
        }

        missing.AddRange(PushReads.Where(action => !granted.Contains(Prefix + action)));
        Assert.True(missing.Count == 0, "The push identity could not:\n" + string.Join('\n', missing.Distinct()));
        Assert.Equal(allowedCustom, PushedKinds().Where(k => !BuiltInGroups.Contains(k.Group)).ToHashSet());
    }

    /// <summary>
    /// Every object base/ and an overlay hold except those push mode leaves to the platform, the ones labelled as
    /// guardrails (.github/scripts/deploy-overlay.sh): the Namespace, ResourceQuota and LimitRange, which a deployment
    /// must not change, and the ServiceAccount, whose tokens are the workload identity's.
    /// </summary>
    private HashSet<(string Group, string Resource)> PushedKinds() =>
    [
        .. Folders.SelectMany(manifests.Objects)
            .Where(o => Component(o) != "guardrails")
            .Select(RenderedManifestsFixture.Identity)
            .Select(o => (o.ApiVersion.Contains('/', StringComparison.Ordinal) ? o.ApiVersion.Split('/')[0] : "", Plural(o.Kind))),
    ];

    private static string? Component(object o) => o is CustomResource custom
        ? custom["metadata", "labels", "app.kubernetes.io/component"]
        : ((IMetadata<V1ObjectMeta>)o).Metadata.Labels?.TryGetValue("app.kubernetes.io/component", out var component) == true ? component : null;

    private IEnumerable<DeployedResource> DeployerAssignments() => infra.Resources()
        .Where(r => r.Type == "Microsoft.Authorization/roleAssignments"
            && r.Evaluate("properties.roleDefinitionId")?.EndsWith(",deployer-role)", StringComparison.Ordinal) == true);

    private TemplateContext MainContext() => TemplateContext.ForMain(infra.Template, infra.Parameters);

    private static string Plural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        return lower.EndsWith('y') ? lower[..^1] + "ies" : lower.EndsWith('s') ? lower + "es" : lower + "s";
    }

    [GeneratedRegex(@"customResources:group\] StringEqualsIgnoreCase '([^']+)'\s+AND @Request\[Microsoft\.ContainerService/managedClusters/customResources:kind\] StringEqualsIgnoreCase '([^']+)'")]
    private static partial Regex CustomResourceCondition();
}
