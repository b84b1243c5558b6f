using Voting.AppHost.Kubernetes.GitOps;

namespace Voting.AppHost.Kubernetes.Flux;

/// <summary>
/// Flux: the same promotion model as Argo CD. One GitRepository (the branch), one Kustomization per environment
/// applying its hydrated folder with prune and wait, a Kustomization that keeps these objects themselves in step
/// with git (so <c>kubectl apply -k gitops-manifests/flux</c> is the only manual step), a GitHub Provider and
/// Alert that report each environment's deployment as the same commit status Argo CD reports, and a Receiver for
/// GitHub's push webhook. The objects are the templates beside this class.
/// </summary>
internal sealed class FluxOperator : IGitOpsOperator
{
    public string Folder => "flux";

    public IEnumerable<GitOpsObject> Render(GitOpsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Values();

        yield return Object("gitrepository.yaml", values);
        yield return Object("flux-kustomization.yaml", new(values)
        {
            ["Name"] = $"{context.Options.AppName}-flux",
            ["Path"] = $"./{context.Options.RepositoryPath}/{Folder}",
            ["Wait"] = false,
        });
        foreach (var environment in context.Environments)
        {
            var environmentValues = context.Values(environment);
            yield return Object("flux-kustomization.yaml", new(environmentValues)
            {
                ["Name"] = environmentValues["Application"],
                ["Path"] = $"./{environmentValues["HydratedPath"]}",
                ["Wait"] = true,
            });
        }

        yield return Object("provider-github.yaml", values);
        yield return Object("alert-deployments.yaml", new(values)
        {
            ["EventSources"] = context.Environments.Select(e => new { Kind = "Kustomization", Name = context.ApplicationName(e) }).ToList(),
        });
        yield return Object("receiver-github.yaml", values);
    }

    private static GitOpsObject Object(string template, Dictionary<string, object?> values) => new("", Template.Object($"Flux/{template}", values));
}
