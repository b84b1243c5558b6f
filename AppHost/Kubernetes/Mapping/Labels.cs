namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>
/// The recommended <c>app.kubernetes.io</c> labels. Overlays add the environment and part-of labels; the namespace's
/// guardrails (namespace.yaml, resourcequota.yaml, limitrange.yaml, and the Key Vault reader's serviceaccount.yaml)
/// carry <c>component: guardrails</c>: push mode leaves them to the platform.
/// </summary>
internal static class Labels
{
    public const string Name = "app.kubernetes.io/name";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Environment = "app.kubernetes.io/environment";

    /// <summary>Selects a workload's pods. Selectors cannot change after the first apply, so this stays minimal.</summary>
    public static Dictionary<string, string> Selector(string workload) => new() { [Name] = workload };

    public static V1ObjectMeta Metadata(string name, string workload) => new() { Name = name, Labels = Selector(workload) };

    /// <summary>
    /// The annotations of what holds votes (an environment's namespace, a StatefulSet, its claims): neither GitOps
    /// operator deletes or prunes it. Argo CD keeps it when its Application is deleted only with Delete=false (Prune=false
    /// alone covers leaving git). Flux skips it when pruning, and when a Kustomization with prune is deleted, from the
    /// live object's annotation (without it on the namespace, deleting the Kustomization would take everything inside).
    /// </summary>
    public static Dictionary<string, string> NeverDeleted() => new()
    {
        ["argocd.argoproj.io/sync-options"] = "Delete=false,Prune=false",
        ["kustomize.toolkit.fluxcd.io/prune"] = "disabled",
    };
}
