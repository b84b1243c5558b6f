using Voting.AppHost.Kubernetes.GitOps;

namespace Voting.AppHost.Kubernetes.Flux;

/// <summary>
/// Flux: the same promotion model as Argo CD. One GitRepository (the branch), one Kustomization per environment
/// applying its hydrated folder with prune and wait, a Kustomization that keeps these objects themselves in step
/// with git (so <c>kubectl apply -k gitops-manifests/flux</c> is the only manual step), a GitHub Provider and
/// Alert that report each environment's deployment as the same commit status Argo CD reports, and a Receiver for
/// GitHub's push webhook.
/// </summary>
public sealed class FluxOperator : IGitOpsOperator
{
    public const string FluxNamespace = "flux-system";

    /// <summary>The Secret (key <c>token</c>) of a GitHub token allowed to write commit statuses; never committed.</summary>
    public const string CommitStatusSecret = "github-commit-status";

    /// <summary>The Secret (key <c>token</c>) GitHub's webhook is signed with; never committed.</summary>
    public const string WebhookSecret = "github-webhook-token";

    public string Folder => "flux";

    public IEnumerable<GitOpsObject> Render(GitOpsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var app = context.Options.AppName;
        var source = new FluxObjectReference { Kind = "GitRepository", Name = app };

        yield return Object(new FluxGitRepository
        {
            Metadata = Metadata(app),
            Spec = new GitRepositorySpec
            {
                Interval = "5m", // the Receiver makes a push visible at once; polling is the fallback
                Url = context.Options.RepoUrl,
                Ref = new GitRepositoryRef { Branch = context.Options.TargetRevision },
                // Only the manifests: an app-code commit changes the revision but not the artifact's content.
                Ignore = $"/*\n!/{context.Options.RepositoryPath}/\n",
            },
        });

        yield return Object(Kustomization($"{app}-flux", $"./{context.Options.RepositoryPath}/flux", source, wait: false));
        foreach (var environment in context.Environments)
        {
            yield return Object(Kustomization(context.ApplicationName(environment), $"./{context.HydratedPath(environment)}", source, wait: true));
        }

        yield return Object(new FluxProvider
        {
            Metadata = Metadata("github"),
            Spec = new FluxProviderSpec
            {
                Type = "github",
                Address = context.RepositoryWebUrl,
                SecretRef = new FluxNamedReference { Name = CommitStatusSecret },
                // The same context Argo CD reports (continuous-delivery/voting-dev), so promotion is operator-neutral.
                CommitStatusExpr = $"'{GitOpsContext.DeploymentStatusContextPrefix}' + event.involvedObject.name",
            },
        });

        yield return Object(new FluxAlert
        {
            Metadata = Metadata("deployments"),
            Spec = new FluxAlertSpec
            {
                ProviderRef = new FluxNamedReference { Name = "github" },
                // info: a successful, healthy reconciliation is the "deployed" status promotion waits for.
                EventSeverity = "info",
                EventSources = [.. context.Environments.Select(e => new FluxObjectReference { Kind = "Kustomization", Name = context.ApplicationName(e) })],
            },
        });

        yield return Object(new FluxReceiver
        {
            Metadata = Metadata("github"),
            Spec = new FluxReceiverSpec
            {
                Type = "github",
                Events = ["ping", "push"],
                SecretRef = new FluxNamedReference { Name = WebhookSecret },
                Resources = [source],
            },
        });
    }

    private static FluxKustomization Kustomization(string name, string path, FluxObjectReference source, bool wait) => new FluxKustomization
    {
        Metadata = Metadata(name),
        Spec = new FluxKustomizationSpec
        {
            Interval = "10m", // drift correction: anything changed by hand is put back within this interval
            RetryInterval = "1m",
            Timeout = "5m",
            Path = path,
            // Git is the truth: objects removed from git are deleted.
            Prune = true,
            // Ready (and the commit status success) only once every object is healthy, rollouts included.
            Wait = wait,
            SourceRef = source,
        },
    }.Initialize();

    private static V1ObjectMeta Metadata(string name) => new() { Name = name, NamespaceProperty = FluxNamespace };

    private static GitOpsObject Object<T>(T item)
        where T : IKubernetesObject => new("", item.Initialize());
}
