using k8s;
using k8s.Models;
using Voting.AppHost.Kubernetes;
using Voting.AppHost.Kubernetes.ArgoCd;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// The Argo CD and Flux objects: each environment is synced from its hydrated folder (never from an overlay, which
/// would let a merge to main reach prod), and each operator reports deployments as the commit status the promotion
/// workflow waits for.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class GitOpsOperatorTests(RenderedManifestsFixture fixture)
{
    private static readonly string[] HydratedPaths = ["gitops-manifests/environments/dev", "gitops-manifests/environments/prod"];

    [Fact]
    public void Argo_CD_Applications_sync_the_hydrated_environments_automatically_from_the_projects_only_repository()
    {
        var apps = fixture.Objects("argocd/apps").ToList();
        var project = apps.OfType<ArgoAppProject>().Single();
        var applications = apps.OfType<ArgoApplication>().ToList();

        Assert.Equal(HydratedPaths, applications.Select(a => a.Spec.Source!.Path).Order(StringComparer.Ordinal));
        Assert.All(applications, application =>
        {
            Assert.Equal(project.Metadata.Name, application.Spec.Project);
            Assert.Equal(project.Spec.SourceRepos, [application.Spec.Source!.RepoUrl!]);
            Assert.Equal(HydratedEnvironment.ManifestFile, application.Spec.Source.Directory!.Include);
            Assert.Contains(project.Spec.Destinations!, d => d.Namespace == application.Spec.Destination!.Namespace);
            Assert.True(application.Spec.SyncPolicy!.Automated!.Prune);
            Assert.True(application.Spec.SyncPolicy.Automated.SelfHeal);
            Assert.Contains("CreateNamespace=true", application.Spec.SyncPolicy.SyncOptions!);
            Assert.Contains("ServerSideApply=true", application.Spec.SyncPolicy.SyncOptions!);
            Assert.True(application.Spec.SyncPolicy.Retry!.Limit > 0);
            Assert.Contains("resources-finalizer.argocd.argoproj.io", application.Metadata.Finalizers);
        });

        // The project goes in before the Applications that name it.
        Assert.Equal("-1", project.Metadata.Annotations[ArgoCdMapping.SyncWave]);
    }

    [Fact]
    public void The_root_Application_is_the_one_object_to_apply_and_syncs_the_apps_folder()
    {
        // fixture.Objects("argocd") also holds argocd/apps: the root folder is the one file.
        var application = KubernetesYaml.Deserialize<ArgoApplication>(fixture.Manifests.Files["argocd/application-voting-root.yaml"], strict: true);

        Assert.Equal("gitops-manifests/argocd/apps", application.Spec.Source!.Path);
        Assert.Equal("argocd", application.Spec.Destination!.Namespace);
        Assert.True(application.Spec.SyncPolicy!.Automated!.Prune);
        Assert.Equal("- application-voting-root.yaml", fixture.Manifests.Files["argocd/kustomization.yaml"].Split('\n')[3]);
    }

    [Fact]
    public void Argo_CD_reports_each_deployment_as_the_commit_status_promotion_waits_for()
    {
        var apps = fixture.Objects("argocd/apps").ToList();
        var notifications = apps.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == ArgoCdNotifications.ConfigMapName);
        Assert.Equal("argocd", notifications.Metadata.NamespaceProperty);
        // The ConfigMap belongs to the Argo CD installation: ours are only some of its keys.
        Assert.Contains("Prune=false", notifications.Metadata.Annotations["argocd.argoproj.io/sync-options"], StringComparison.Ordinal);

        foreach (var application in apps.OfType<ArgoApplication>())
        {
            var subscriptions = application.Metadata.Annotations.Keys.Where(k => k.StartsWith("notifications.argoproj.io/subscribe.", StringComparison.Ordinal)).ToList();
            Assert.Equal(3, subscriptions.Count);
            foreach (var subscription in subscriptions)
            {
                // notifications.argoproj.io/subscribe.TRIGGER.SERVICE: both must be configured.
                var parts = subscription["notifications.argoproj.io/subscribe.".Length..].Split('.');
                Assert.True(notifications.Data.ContainsKey($"trigger.{parts[0]}"), $"{subscription} names no trigger");
                Assert.True(notifications.Data.ContainsKey($"service.{parts[1]}"), $"{subscription} names no service");
                var trigger = notifications.Data[$"trigger.{parts[0]}"];
                var template = trigger[(trigger.IndexOf("send: [", StringComparison.Ordinal) + 7)..].Split(']')[0];
                Assert.Contains("label: \"continuous-delivery/{{.app.metadata.name}}\"", notifications.Data[$"template.{template}"], StringComparison.Ordinal);
            }
        }

        // Only "synced and healthy" reports success; a degraded app or a failed sync must never look promotable.
        Assert.Contains("state: success", notifications.Data["template.commit-status-deployed"], StringComparison.Ordinal);
        Assert.Contains("app.status.health.status == 'Healthy'", notifications.Data["trigger.on-deployed-commit-status"], StringComparison.Ordinal);
        Assert.Contains("state: failure", notifications.Data["template.commit-status-degraded"], StringComparison.Ordinal);
        Assert.Contains("state: error", notifications.Data["template.commit-status-sync-failed"], StringComparison.Ordinal);
        // No credential is committed: the service reads the Secret argocd-notifications-secret.
        Assert.All(notifications.Data["service.github"].Split('\n', StringSplitOptions.RemoveEmptyEntries),
            line => Assert.Contains(": $github-", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Flux_applies_the_same_hydrated_environments_with_prune_and_wait_from_the_same_repository()
    {
        var flux = Flux();
        var source = flux.Single(o => o.Kind == "GitRepository");
        var argoSource = fixture.Objects("argocd/apps").OfType<ArgoApplication>().First().Spec.Source!;
        Assert.Equal(argoSource.RepoUrl, source["spec", "url"]);
        Assert.Equal(argoSource.TargetRevision, source["spec", "ref", "branch"]);

        var environments = EnvironmentKustomizations(flux);
        Assert.Equal(HydratedPaths.Select(p => "./" + p), environments.Select(k => k["spec", "path"]).Order(StringComparer.Ordinal));
        Assert.All(environments, kustomization =>
        {
            Assert.Equal("true", kustomization["spec", "prune"]);
            Assert.True(kustomization["spec", "wait"] == "true", "without wait, Flux reports success before the rollout is healthy");
            Assert.NotNull(kustomization["spec", "timeout"]);
            Assert.Equal(("GitRepository", source.Name), (kustomization["spec", "sourceRef", "kind"], kustomization["spec", "sourceRef", "name"]));
        });

        // The Flux objects keep themselves in step with git, so one apply bootstraps everything.
        Assert.Single(flux, o => o.Kind == "Kustomization" && o["spec", "path"] == "./gitops-manifests/flux");
        var receiver = flux.Single(o => o.Kind == "Receiver");
        Assert.Contains("push", receiver.Items("spec", "events").Select(e => e.Root.GetValue<string>()));
        Assert.Equal(source.Name, receiver.Items("spec", "resources").Single()["name"]);
    }

    [Fact]
    public void Flux_reports_each_environment_with_the_same_commit_status_context_as_Argo_CD()
    {
        var flux = Flux();
        var provider = flux.Single(o => o.Kind == "Provider");
        var alert = flux.Single(o => o.Kind == "Alert");

        Assert.Equal("github", provider["spec", "type"]);
        Assert.Equal(provider.Name, alert["spec", "providerRef", "name"]);
        Assert.Equal("info", alert["spec", "eventSeverity"]);
        var environments = EnvironmentKustomizations(flux);
        Assert.Equal(environments.Select(k => k.Name).Order(), alert.Items("spec", "eventSources").Select(s => s["name"]).Order());

        // commitStatusExpr is CEL: 'continuous-delivery/' + event.involvedObject.name. The promotion workflow
        // filters on the context it gives for the dev Kustomization.
        Assert.Equal("'continuous-delivery/' + event.involvedObject.name", provider["spec", "commitStatusExpr"]);
        var devContext = "continuous-delivery/" + environments.Single(k => k["spec", "path"]!.EndsWith("/dev", StringComparison.Ordinal)).Name;
        Assert.Contains($"github.event.context == '{devContext}'", File.ReadAllText(Path.Combine(Repository.Root, ".github/workflows/promote-prod.yml")), StringComparison.Ordinal);
    }

    private List<CustomResource> Flux() => [.. fixture.Objects("flux").Cast<CustomResource>()];

    private static List<CustomResource> EnvironmentKustomizations(List<CustomResource> flux) =>
        [.. flux.Where(o => o.Kind == "Kustomization" && o["spec", "path"]!.Contains("/environments/", StringComparison.Ordinal))];
}
