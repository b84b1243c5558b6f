namespace Voting.AppHost.Kubernetes.GitOps;

/// <summary>What every operator needs to know to sync the environments: where they are and what they contain.</summary>
/// <param name="Options">The generation settings (repository URL, branch, app name).</param>
/// <param name="Environments">The environments, in promotion order (dev first).</param>
/// <param name="NamespacedKinds">Every namespaced kind the environments contain.</param>
/// <param name="ClusterKinds">Every cluster-scoped kind the environments contain (their Namespaces).</param>
public sealed record GitOpsContext(
    ManifestGenerationOptions Options,
    IReadOnlyList<DeploymentEnvironment> Environments,
    IReadOnlyList<(string Group, string Kind)> NamespacedKinds,
    IReadOnlyList<(string Group, string Kind)> ClusterKinds)
{
    /// <summary>What every deployment status context starts with, before the application's name.</summary>
    public const string DeploymentStatusContextPrefix = "continuous-delivery/";

    /// <summary>
    /// The context of the commit status an operator reports for an environment's deployment. Argo CD and Flux report
    /// the same one, so the promotion workflow does not care which operator runs.
    /// </summary>
    public static string DeploymentStatusContext(string application) => DeploymentStatusContextPrefix + application;

    /// <summary>The name of the operator's object for one environment: <c>voting-dev</c>.</summary>
    public string ApplicationName(DeploymentEnvironment environment) => $"{Options.AppName}-{environment.Name}";

    /// <summary>Where an environment's hydrated manifests are in the repository: what the operator syncs.</summary>
    public string HydratedPath(DeploymentEnvironment environment) => $"{Options.RepositoryPath}/{environment.HydratedFolder}";

    /// <summary>The repository's web address (no <c>.git</c>), for commit statuses and links.</summary>
    public string RepositoryWebUrl => Options.RepoUrl.EndsWith(".git", StringComparison.Ordinal) ? Options.RepoUrl[..^4] : Options.RepoUrl;
}
