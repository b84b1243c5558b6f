using k8s.Models;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// Nothing that holds votes (an environment's namespace, Redis' StatefulSet, its claims) is deleted or pruned by Argo
/// CD or Flux, whether it leaves git or its Application or Kustomization is deleted; nor does Kubernetes delete the
/// claims with the StatefulSet.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class VoteRetentionTests(RenderedManifestsFixture fixture)
{
    public static TheoryData<string> Environments => new() { "dev", "prod" };

    [Theory]
    [MemberData(nameof(Environments))]
    public void Neither_operator_deletes_or_prunes_the_namespace_the_stateful_set_or_its_claims(string environment)
    {
        var redis = Redis();
        IEnumerable<(string What, V1ObjectMeta Metadata)> holders =
        [
            ("the namespace", fixture.Objects($"overlays/{environment}").OfType<V1Namespace>().Single().Metadata),
            ("the StatefulSet", redis.Metadata),
            ("the claim template", redis.Spec.VolumeClaimTemplates.Single().Metadata),
        ];

        Assert.All(holders, holder =>
        {
            var annotations = holder.Metadata.Annotations ?? new Dictionary<string, string>();
            Assert.False(ArgoCdDeletesOnApplicationDeletion(annotations), $"Argo CD deletes {holder.What} with its Application");
            Assert.False(ArgoCdPrunes(annotations), $"Argo CD prunes {holder.What} when it leaves git");
            Assert.False(FluxDeletes(holder.Metadata), $"Flux prunes {holder.What}, or deletes it with its Kustomization");
        });
    }

    [Fact]
    public void Deleting_or_scaling_down_the_stateful_set_keeps_its_claims()
    {
        var policy = Redis().Spec.PersistentVolumeClaimRetentionPolicy;
        Assert.Equal(("Retain", "Retain"), (policy.WhenDeleted, policy.WhenScaled));
    }

    private V1StatefulSet Redis() => fixture.Objects("base").OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis");

    /// <summary>Argo CD's sync options of a resource: one annotation, a comma-separated list of Option=value.</summary>
    private static string[] SyncOptions(IDictionary<string, string> annotations) =>
        annotations.TryGetValue("argocd.argoproj.io/sync-options", out var options)
            ? [.. options.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
            : [];

    /// <summary>Deleting an Application with the resources finalizer deletes each resource but those with Delete=false.</summary>
    private static bool ArgoCdDeletesOnApplicationDeletion(IDictionary<string, string> annotations) => !SyncOptions(annotations).Contains("Delete=false");

    private static bool ArgoCdPrunes(IDictionary<string, string> annotations) => !SyncOptions(annotations).Contains("Prune=false");

    /// <summary>kustomize-controller skips, when pruning and when a Kustomization is deleted, objects labelled or annotated prune: disabled.</summary>
    private static bool FluxDeletes(V1ObjectMeta metadata) =>
        new[] { metadata.Labels, metadata.Annotations }.All(map => map?.TryGetValue("kustomize.toolkit.fluxcd.io/prune", out var value) != true || value != "disabled");
}
