namespace Voting.AppHost.Kubernetes.GitOps;

/// <summary>
/// A GitOps operator that syncs each environment from its branch into a cluster (Argo CD, Flux...). Each renders its
/// objects from the YAML templates beside its class into its own folder of gitops-manifests/; adding an operator is
/// one new class (and its templates) listed in <see cref="GitOpsOperators.All"/>.
/// </summary>
internal interface IGitOpsOperator
{
    /// <summary>The folder under gitops-manifests/ that holds this operator's objects, e.g. <c>argocd</c>.</summary>
    string Folder { get; }

    /// <summary>
    /// The operator's objects, each with the subfolder (relative to <see cref="Folder"/>, empty for the folder itself)
    /// it is written to. Every folder gets a kustomization.yaml listing its objects.
    /// </summary>
    IEnumerable<GitOpsObject> Render(GitOpsContext context);
}

/// <summary>One object of an operator, and where under the operator's folder it goes.</summary>
internal sealed record GitOpsObject(string Subfolder, ManifestObject Content);
