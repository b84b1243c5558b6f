using Voting.AppHost.Kubernetes.GitOps;

namespace Voting.AppHost.Kubernetes.ArgoCd;

/// <summary>
/// Argo CD: an app-of-apps. <c>argocd/</c> holds the root Application, the one object applied by hand; it syncs
/// <c>argocd/apps/</c>: the project, one Application per environment (each syncing its hydrated folder) and the
/// notifications that report each deployment to GitHub as a commit status.
/// </summary>
public sealed class ArgoCdOperator : IGitOpsOperator
{
    public const string AppsFolder = "apps";

    public string Folder => "argocd";

    public IEnumerable<GitOpsObject> Render(GitOpsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        yield return new GitOpsObject("", ArgoCdMapping.RootApplication(context, $"{context.Options.RepositoryPath}/{Folder}/{AppsFolder}"));
        yield return new GitOpsObject(AppsFolder, ArgoCdMapping.AppProject(context));
        yield return new GitOpsObject(AppsFolder, ArgoCdNotifications.ConfigMap(context));
        foreach (var environment in context.Environments)
        {
            yield return new GitOpsObject(AppsFolder, ArgoCdMapping.Application(context, environment));
        }
    }
}
