using Voting.AppHost.Kubernetes.GitOps;

namespace Voting.AppHost.Kubernetes.ArgoCd;

/// <summary>
/// Argo CD: an app-of-apps. <c>argocd/</c> holds the root Application, the one object applied by hand; it syncs
/// <c>argocd/apps/</c>: the project, one Application per environment (each syncing its hydrated folder) and the
/// notifications that report each deployment to GitHub as a commit status.
/// </summary>
internal sealed class ArgoCdOperator : IGitOpsOperator
{
    public const string AppsFolder = "apps";

    public string Folder => "argocd";

    public IEnumerable<GitOpsObject> Render(GitOpsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        yield return new GitOpsObject("", ManifestObject.From(ArgoCdMapping.RootApplication(context, $"{context.Options.RepositoryPath}/{Folder}/{AppsFolder}")));
        yield return new GitOpsObject(AppsFolder, ManifestObject.From(ArgoCdMapping.AppProject(context)));
        yield return new GitOpsObject(AppsFolder, ManifestObject.From(ArgoCdNotifications.ConfigMap(context)));
        foreach (var environment in context.Environments)
        {
            yield return new GitOpsObject(AppsFolder, ManifestObject.From(ArgoCdMapping.Application(context, environment)));
        }
    }
}
