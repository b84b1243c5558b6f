using Voting.AppHost.Kubernetes.GitOps;

namespace Voting.AppHost.Kubernetes.Flux;

/// <summary>
/// Flux: the same promotion model as Argo CD. A GitRepository per environment (its branch) and a Kustomization applying
/// it with prune and wait; a GitRepository of main and a Kustomization that keep these objects themselves in step with
/// git (so <c>kubectl apply -k gitops-manifests/flux</c> is the only manual step); a GitHub Provider and Alert that
/// report each environment's deployment as the same commit status Argo CD reports; and a Receiver for GitHub's push
/// webhook. The objects are the templates beside this class.
/// </summary>
internal sealed class FluxOperator : IGitOpsOperator
{
    public string Folder => "flux";

    public IEnumerable<GitOpsObject> Render(GitOpsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Values();
        var app = context.Options.AppName;
        var self = $"{context.Options.RepositoryPath}/{Folder}";
        var environments = context.Environments.Select(context.ApplicationName).ToList();

        // Main, for this folder only: its Kustomization keeps these objects as git says.
        yield return Object("gitrepository.yaml", new(values) { ["Name"] = app, ["Branch"] = context.Options.TargetRevision, ["Include"] = $"{self}/" });
        yield return Object("flux-kustomization.yaml", new(values) { ["Name"] = $"{app}-flux", ["Source"] = app, ["Path"] = $"./{self}", ["Wait"] = false });
        foreach (var environment in context.Environments)
        {
            var name = context.ApplicationName(environment);
            var environmentValues = context.Values(environment);
            yield return Object("gitrepository.yaml", new(environmentValues) { ["Name"] = name, ["Include"] = DeploymentEnvironment.ManifestFile });
            yield return Object("flux-kustomization.yaml", new(environmentValues) { ["Name"] = name, ["Source"] = name, ["Path"] = "./", ["Wait"] = true });
        }

        yield return Object("provider-github.yaml", values);
        yield return Object("alert-deployments.yaml", new(values) { ["EventSources"] = Each("Kustomization", environments) });
        yield return Object("receiver-github.yaml", new(values) { ["GitRepositories"] = Each("GitRepository", [app, .. environments]) });
    }

    private static List<object> Each(string kind, IEnumerable<string> names) => [.. names.Select(name => new { Kind = kind, Name = name })];

    private static GitOpsObject Object(string template, Dictionary<string, object?> values) => new("", Template.Object($"Flux/{template}", values));
}
