using Voting.AppHost.Kubernetes.GitOps;

namespace Voting.AppHost.Kubernetes.ArgoCd;

internal static class ArgoCdMapping
{
    public const string ArgoCdNamespace = "argocd";
    public const string SyncWave = "argocd.argoproj.io/sync-wave";
    private const string InCluster = "https://kubernetes.default.svc";

    /// <summary>
    /// The root of the app-of-apps, in the built-in <c>default</c> project (the only one that exists before it runs).
    /// It keeps the project, the Applications and the notifications as git says, so they change by pull request too.
    /// </summary>
    public static ArgoApplication RootApplication(GitOpsContext context, string appsPath) => new ArgoApplication
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"{context.Options.AppName}-root",
            NamespaceProperty = ArgoCdNamespace,
            Finalizers = ["resources-finalizer.argocd.argoproj.io"],
        },
        Spec = new ApplicationSpec
        {
            Project = "default",
            Source = new ApplicationSource { RepoUrl = context.Options.RepoUrl, TargetRevision = context.Options.TargetRevision, Path = appsPath },
            Destination = new ApplicationDestination { Server = InCluster, Namespace = ArgoCdNamespace },
            SyncPolicy = AutomatedPolicy(createNamespace: false),
        },
    }.Initialize();

    /// <summary>
    /// The project allows only this repository, the environments' namespaces and the kinds the manifests contain,
    /// so a wrong path or a stray object fails the sync instead of landing in the cluster. Synced before the
    /// Applications that use it (an earlier wave).
    /// </summary>
    public static ArgoAppProject AppProject(GitOpsContext context) => new ArgoAppProject
    {
        Metadata = new V1ObjectMeta
        {
            Name = context.Options.AppName,
            NamespaceProperty = ArgoCdNamespace,
            Annotations = new Dictionary<string, string> { [SyncWave] = "-1" },
        },
        Spec = new AppProjectSpec
        {
            Description = $"The {context.Options.AppName} app, rendered from its Aspire AppHost and promoted dev -> prod.",
            SourceRepos = [context.Options.RepoUrl],
            Destinations = [.. context.Environments.Select(e => new ApplicationDestination { Server = InCluster, Namespace = e.Namespace })],
            // CreateNamespace=true creates each destination namespace: Namespace is the only cluster-scoped kind allowed.
            ClusterResourceWhitelist = [.. context.ClusterKinds.Append((Group: "", Kind: "Namespace")).Distinct().Order()
                .Select(k => new GroupKind { Group = k.Group, Kind = k.Kind })],
            NamespaceResourceWhitelist = [.. context.NamespacedKinds.Select(k => new GroupKind { Group = k.Group, Kind = k.Kind })],
        },
    }.Initialize();

    /// <summary>
    /// One environment: syncs its hydrated folder (the rendered overlay CD wrote), never the overlay itself, so what
    /// runs changes only when that folder does: on every build for dev, by a merged promotion for prod.
    /// </summary>
    public static ArgoApplication Application(GitOpsContext context, DeploymentEnvironment environment) => new ArgoApplication
    {
        Metadata = new V1ObjectMeta
        {
            Name = context.ApplicationName(environment),
            NamespaceProperty = ArgoCdNamespace,
            // Deleting the Application deletes what it deployed, not only the Application.
            Finalizers = ["resources-finalizer.argocd.argoproj.io"],
            Annotations = new Dictionary<string, string>(ArgoCdNotifications.Subscriptions, StringComparer.Ordinal)
            {
                // With a git webhook, only commits that touch this folder refresh the Application.
                ["argocd.argoproj.io/manifest-generate-paths"] = ".",
            },
        },
        Spec = new ApplicationSpec
        {
            Project = context.Options.AppName,
            Source = new ApplicationSource
            {
                RepoUrl = context.Options.RepoUrl,
                TargetRevision = context.Options.TargetRevision,
                Path = context.HydratedPath(environment),
                Directory = new ApplicationSourceDirectory { Include = HydratedEnvironment.ManifestFile },
            },
            Destination = new ApplicationDestination { Server = InCluster, Namespace = environment.Namespace },
            SyncPolicy = AutomatedPolicy(createNamespace: true),
        },
    }.Initialize();

    private static SyncPolicy AutomatedPolicy(bool createNamespace) => new()
    {
        // Git is the truth: objects removed from git are deleted, and changes made by hand are reverted.
        Automated = new AutomatedSync { Prune = true, SelfHeal = true },
        SyncOptions = createNamespace ? ["CreateNamespace=true", "ServerSideApply=true"] : ["ServerSideApply=true"],
        Retry = new SyncRetry { Limit = 5, Backoff = new RetryBackoff { Duration = "5s", Factor = 2, MaxDuration = "3m" } },
    };
}
