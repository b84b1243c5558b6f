namespace Voting.AppHost.Kubernetes.GitOps;

/// <summary>What every operator needs to know to sync the environments: where they are and what they contain.</summary>
/// <param name="Options">The generation settings (repository URL, branch, app name).</param>
/// <param name="Environments">The environments, in promotion order (dev first).</param>
/// <param name="Kinds">Every kind the environments contain.</param>
internal sealed record GitOpsContext(
    ManifestGenerationOptions Options,
    IReadOnlyList<DeploymentEnvironment> Environments,
    IReadOnlyList<(string Group, string Kind)> Kinds)
{
    /// <summary>The name of the operator's object for one environment: <c>voting-dev</c>.</summary>
    public string ApplicationName(DeploymentEnvironment environment) => $"{Options.AppName}-{environment.Name}";

    /// <summary>
    /// What every operator template may use. <c>StatusContextPrefix</c> starts the context of the commit status each
    /// operator reports for an environment's deployment (<c>continuous-delivery/voting-dev</c>): Argo CD and Flux report
    /// the same one, so the promotion workflow does not care which operator runs.
    /// </summary>
    public Dictionary<string, object?> Values() => new(StringComparer.Ordinal)
    {
        ["App"] = Options.AppName,
        ["RepoUrl"] = Options.RepoUrl,
        ["TargetRevision"] = Options.TargetRevision,
        ["RepositoryPath"] = Options.RepositoryPath,
        // The repository's web address (no .git), for commit statuses and links.
        ["RepositoryWebUrl"] = Options.RepoUrl.EndsWith(".git", StringComparison.Ordinal) ? Options.RepoUrl[..^4] : Options.RepoUrl,
        ["StatusContextPrefix"] = "continuous-delivery/",
    };

    /// <summary>The values of one environment's templates: <see cref="Values()"/> and the environment's own.</summary>
    public Dictionary<string, object?> Values(DeploymentEnvironment environment) => new(Values(), StringComparer.Ordinal)
    {
        ["Environment"] = environment.Name,
        ["Namespace"] = environment.Namespace,
        ["Application"] = ApplicationName(environment),
        // What the operator syncs: the rendered overlay CD writes to the environment's branch.
        ["Branch"] = environment.Branch,
        ["ManifestFile"] = DeploymentEnvironment.ManifestFile,
    };
}
