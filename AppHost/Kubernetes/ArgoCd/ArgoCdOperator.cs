using Voting.AppHost.Kubernetes.GitOps;

namespace Voting.AppHost.Kubernetes.ArgoCd;

/// <summary>
/// Argo CD: an app-of-apps. <c>argocd/</c> holds the root Application, the one object applied by hand; it syncs
/// <c>argocd/apps/</c> on main: the project, one Application per environment (each syncing its branch) and the
/// notifications that report each deployment to GitHub as a commit status. The objects are the templates beside this class.
/// </summary>
internal sealed class ArgoCdOperator : IGitOpsOperator
{
    private const string InCluster = "https://kubernetes.default.svc";

    public string Folder => "argocd";

    public IEnumerable<GitOpsObject> Render(GitOpsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Values();

        yield return new("", Object("application-root.yaml", values));
        yield return new("apps", Object("appproject.yaml", new(values)
        {
            ["Destinations"] = context.Environments.Select(e => new { Server = InCluster, e.Namespace }).ToList(),
            // Namespaces are the one cluster-scoped kind the environments contain.
            ["ClusterKinds"] = Kinds(context.Kinds.Where(k => k.Kind == "Namespace")),
            ["NamespacedKinds"] = Kinds(context.Kinds.Where(k => k.Kind != "Namespace")),
        }));
        yield return new("apps", Object("configmap-argocd-notifications-cm.yaml", values));
        foreach (var environment in context.Environments)
        {
            yield return new("apps", Object("application.yaml", context.Values(environment)));
        }
    }

    private static List<object> Kinds(IEnumerable<(string Group, string Kind)> kinds) => [.. kinds.Select(k => new { k.Group, k.Kind })];

    private static ManifestObject Object(string template, Dictionary<string, object?> values) => Template.Object($"ArgoCd/{template}", values);
}
