using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Voting.AppHost.Kubernetes.Kustomize;

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
        var project = Argo("AppProject").Single();
        var applications = Argo("Application");

        Assert.Equal(HydratedPaths, applications.Select(a => a["spec", "source", "path"]).Order(StringComparer.Ordinal));
        Assert.All(applications, application =>
        {
            Assert.Equal(project.Name, application["spec", "project"]);
            Assert.Equal([application["spec", "source", "repoURL"]], project.Items("spec", "sourceRepos").Select(r => r.Root.GetValue<string>()));
            // The one file CD hydrates the environment into (the committed folders hold it).
            var include = application["spec", "source", "directory", "include"]!;
            Assert.True(File.Exists(Path.Combine(Repository.Root, application["spec", "source", "path"]!, include)), $"{include} is not what CD writes");
            Assert.Contains(project.Items("spec", "destinations"), d => d["namespace"] == application["spec", "destination", "namespace"]);
            Assert.Equal(("true", "true"), (application["spec", "syncPolicy", "automated", "prune"], application["spec", "syncPolicy", "automated", "selfHeal"]));
            var syncOptions = application.Items("spec", "syncPolicy", "syncOptions").Select(o => o.Root.GetValue<string>()).ToList();
            Assert.Contains("CreateNamespace=true", syncOptions);
            Assert.Contains("ServerSideApply=true", syncOptions);
            Assert.True(int.Parse(application["spec", "syncPolicy", "retry", "limit"]!, CultureInfo.InvariantCulture) > 0);
            Assert.Contains("resources-finalizer.argocd.argoproj.io", application.Items("metadata", "finalizers").Select(f => f.Root.GetValue<string>()));
            // The project goes in before the Applications that name it: an earlier sync wave (absent is 0).
            Assert.True(SyncWave(project) < SyncWave(application), "the project must be synced before its Applications");
        });
    }

    [Fact]
    public void The_root_Application_is_the_one_object_to_apply_and_syncs_the_folder_of_the_Applications()
    {
        var root = KubernetesYaml.Deserialize<Kustomization>(fixture.Manifests.Files["argocd/kustomization.yaml"], strict: true);
        var application = CustomResource.Parse(fixture.Manifests.Files[$"argocd/{root.Resources!.Single()}"]);

        Assert.Equal("Application", application.Kind);
        Assert.Equal("argocd", application["spec", "destination", "namespace"]);
        Assert.Equal("true", application["spec", "syncPolicy", "automated", "prune"]);
        // Its path, relative to gitops-manifests/, is the folder that holds the project and every Application.
        var synced = application["spec", "source", "path"]!["gitops-manifests/".Length..] + "/";
        var apps = fixture.Manifests.Files.Where(f => f.Key.StartsWith(synced, StringComparison.Ordinal) && RenderedManifestsFixture.IsObjectFile(f.Key))
            .Select(f => CustomResource.Parse(f.Value)).Where(o => o.Kind is "Application" or "AppProject").Select(o => o.Name);
        Assert.Equal(Argo("Application").Concat(Argo("AppProject")).Select(o => o.Name).Order(), apps.Order());
    }

    [Fact]
    public void Argo_CD_reports_each_deployment_as_the_commit_status_promotion_waits_for()
    {
        // The ConfigMap Argo CD Notifications reads, in Argo CD's namespace.
        var notifications = fixture.Objects("argocd/apps").OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "argocd-notifications-cm");
        Assert.Equal("argocd", notifications.Metadata.NamespaceProperty);
        // The ConfigMap belongs to the Argo CD installation: ours are only some of its keys.
        Assert.Contains("Prune=false", notifications.Metadata.Annotations["argocd.argoproj.io/sync-options"], StringComparison.Ordinal);

        foreach (var application in Argo("Application"))
        {
            var subscriptions = application.Node("metadata", "annotations")!.AsObject().Select(a => a.Key)
                .Where(k => k.StartsWith("notifications.argoproj.io/subscribe.", StringComparison.Ordinal)).ToList();
            Assert.Equal(3, subscriptions.Count);
            foreach (var subscription in subscriptions)
            {
                // notifications.argoproj.io/subscribe.TRIGGER.SERVICE: both must be configured.
                var parts = subscription["notifications.argoproj.io/subscribe.".Length..].Split('.');
                Assert.True(notifications.Data.ContainsKey($"trigger.{parts[0]}"), $"{subscription} names no trigger");
                Assert.True(notifications.Data.ContainsKey($"service.{parts[1]}"), $"{subscription} names no service");
                var trigger = notifications.Data[$"trigger.{parts[0]}"];
                var template = trigger[(trigger.IndexOf("send: [", StringComparison.Ordinal) + 7)..].Split(']')[0];
                // The context the promotion workflow filters on for this Application.
                Assert.Equal($"continuous-delivery/{application.Name}", ArgoStatusContext(application, $"template.{template}"));
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
        var argoApplication = Argo("Application").First();
        Assert.Equal(argoApplication["spec", "source", "repoURL"], source["spec", "url"]);
        Assert.Equal(argoApplication["spec", "source", "targetRevision"], source["spec", "ref", "branch"]);

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

        // commitStatusExpr is CEL: 'PREFIX' + event.involvedObject.name. For the dev Kustomization it gives the context
        // Argo CD's template gives the dev Application, and the one the promotion workflow filters on.
        var expression = Regex.Match(provider["spec", "commitStatusExpr"]!, @"^'(?<prefix>[^']*)' \+ event\.involvedObject\.name$");
        Assert.True(expression.Success, provider["spec", "commitStatusExpr"]);
        var devContext = expression.Groups["prefix"].Value + environments.Single(k => k["spec", "path"]!.EndsWith("/dev", StringComparison.Ordinal)).Name;
        var argoDev = Argo("Application").Single(a => a["spec", "source", "path"]!.EndsWith("/dev", StringComparison.Ordinal));
        Assert.Equal(ArgoStatusContext(argoDev, "template.commit-status-deployed"), devContext);
        Assert.Contains($"github.event.context == '{devContext}'", File.ReadAllText(Path.Combine(Repository.Root, ".github/workflows/promote-prod.yml")), StringComparison.Ordinal);
    }

    /// <summary>The commit status context Argo CD's notification template gives an Application.</summary>
    private string ArgoStatusContext(CustomResource application, string template)
    {
        var notifications = fixture.Objects("argocd/apps").OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "argocd-notifications-cm");
        var label = notifications.Data[template].Split('\n').Single(l => l.TrimStart().StartsWith("label:", StringComparison.Ordinal));
        return label.Split('"')[1].Replace("{{.app.metadata.name}}", application.Name, StringComparison.Ordinal);
    }

    private List<CustomResource> Argo(string kind) => [.. fixture.Objects("argocd/apps").OfType<CustomResource>().Where(o => o.Kind == kind)];

    private static int SyncWave(CustomResource item) => int.Parse(item["metadata", "annotations", "argocd.argoproj.io/sync-wave"] ?? "0", CultureInfo.InvariantCulture);

    private List<CustomResource> Flux() => [.. fixture.Objects("flux").Cast<CustomResource>()];

    private static List<CustomResource> EnvironmentKustomizations(List<CustomResource> flux) =>
        [.. flux.Where(o => o.Kind == "Kustomization" && o["spec", "path"]!.Contains("/environments/", StringComparison.Ordinal))];
}
