namespace Voting.AppHost.Kubernetes.ArgoCd;

internal static class ArgoCdMapping
{
    public const string ArgoCdNamespace = "argocd";
    private const string InCluster = "https://kubernetes.default.svc";

    /// <summary>
    /// The project allows only this repository, the environments' namespaces and the kinds the manifests contain,
    /// so a wrong path or a stray object fails the sync instead of landing in the cluster.
    /// </summary>
    public static ArgoAppProject AppProject(
        ManifestGenerationOptions options, IEnumerable<DeploymentEnvironment> environments, IEnumerable<GroupKind> namespacedKinds) => new ArgoAppProject
        {
            Metadata = new V1ObjectMeta { Name = options.AppName, NamespaceProperty = ArgoCdNamespace },
            Spec = new AppProjectSpec
            {
                Description = $"The {options.AppName} app, rendered from its Aspire AppHost.",
                SourceRepos = [options.RepoUrl],
                Destinations = [.. environments.Select(e => new ApplicationDestination { Server = InCluster, Namespace = e.Namespace })],
                // CreateNamespace=true creates the destination namespace: the only cluster-scoped object allowed.
                ClusterResourceWhitelist = [new GroupKind { Group = "", Kind = "Namespace" }],
                NamespaceResourceWhitelist = [.. namespacedKinds],
            },
        }.Initialize();

    public static ArgoApplication Application(ManifestGenerationOptions options, DeploymentEnvironment environment, string overlayPath) => new ArgoApplication
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{options.AppName}-{environment.Name}",
            NamespaceProperty = ArgoCdNamespace,
            // Deleting the Application deletes what it deployed, not only the Application.
            Finalizers = ["resources-finalizer.argocd.argoproj.io"],
        },
        Spec = new ApplicationSpec
        {
            Project = options.AppName,
            Source = new ApplicationSource { RepoUrl = options.RepoUrl, TargetRevision = options.TargetRevision, Path = overlayPath },
            Destination = new ApplicationDestination { Server = InCluster, Namespace = environment.Namespace },
            SyncPolicy = new SyncPolicy
            {
                // Git is the truth: objects removed from git are deleted, and changes made by hand are reverted.
                Automated = new AutomatedSync { Prune = true, SelfHeal = true },
                SyncOptions = ["CreateNamespace=true", "ServerSideApply=true"],
                Retry = new SyncRetry { Limit = 5, Backoff = new RetryBackoff { Duration = "5s", Factor = 2, MaxDuration = "3m" } },
            },
        },
    }.Initialize();
}
