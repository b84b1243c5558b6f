using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Voting.AppHost.Kubernetes.Kustomize;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// The Argo CD and Flux objects: each environment is synced from its own branch, where CD writes its rendered overlay
/// (never from main's overlays, which would let a merge to main reach prod), and each operator reports deployments as
/// the commit status the promotion workflow waits for.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class GitOpsOperatorTests(RenderedManifestsFixture fixture)
{
    /// <summary>What CD writes at the root of an environment's branch: the overlay, rendered with its images.</summary>
    private const string ManifestFile = "manifest.yaml";

    [Fact]
    public void Each_Argo_CD_Application_syncs_the_branch_of_its_own_environment_automatically_from_the_projects_only_repository()
    {
        var project = Argo("AppProject").Single();
        var applications = Argo("Application");

        Assert.Equal(["voting-dev", "voting-prod"], applications.Select(a => a["spec", "destination", "namespace"]).Order(StringComparer.Ordinal));
        Assert.All(applications, application =>
        {
            var environment = application["spec", "destination", "namespace"]!["voting-".Length..];
            Assert.Equal(($"environments/{environment}", ".", ManifestFile),
                (application["spec", "source", "targetRevision"], application["spec", "source", "path"], application["spec", "source", "directory", "include"]));
            Assert.Equal(project.Name, application["spec", "project"]);
            Assert.Equal([application["spec", "source", "repoURL"]], project.Items("spec", "sourceRepos").Select(r => r.Root.GetValue<string>()));
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
        var application = RootApplication();

        Assert.Equal("Application", application.Kind);
        Assert.Equal("argocd", application["spec", "destination", "namespace"]);
        Assert.Equal(fixture.Options.TargetRevision, application["spec", "source", "targetRevision"]);
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
        // The ConfigMap belongs to the Argo CD installation (ours are only some of its keys): neither leaving git nor
        // deleting the root Application deletes it.
        var options = notifications.Metadata.Annotations["argocd.argoproj.io/sync-options"].Split(',');
        Assert.Contains("Prune=false", options);
        Assert.Contains("Delete=false", options);

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
    public void Flux_applies_each_environment_from_the_same_branch_as_Argo_CD_with_prune_and_wait()
    {
        var flux = Flux();
        var environments = EnvironmentKustomizations(flux);

        Assert.Equal(Argo("Application").Select(a => a.Name).Order(), environments.Select(k => k.Name).Order());
        Assert.All(environments, kustomization =>
        {
            var application = Argo("Application").Single(a => a.Name == kustomization.Name);
            var source = Source(flux, kustomization);
            Assert.Equal(application["spec", "source", "repoURL"], source["spec", "url"]);
            Assert.Equal(application["spec", "source", "targetRevision"], source["spec", "ref", "branch"]);
            // The artifact holds the one file CD writes, so nothing else on the branch reaches the cluster.
            Assert.Equal([ManifestFile], Admitted(source));
            Assert.Equal("./", kustomization["spec", "path"]);
            Assert.Equal("true", kustomization["spec", "prune"]);
            Assert.True(kustomization["spec", "wait"] == "true", "without wait, Flux reports success before the rollout is healthy");
            Assert.NotNull(kustomization["spec", "timeout"]);
        });

        // The Flux objects keep themselves in step with main, so one apply bootstraps everything.
        var self = flux.Single(o => o.Kind == "Kustomization" && o["spec", "path"] == "./gitops-manifests/flux");
        Assert.Equal((fixture.Options.TargetRevision, "gitops-manifests/flux/"), (Source(flux, self)["spec", "ref", "branch"], Admitted(Source(flux, self)).Single()));
        var receiver = flux.Single(o => o.Kind == "Receiver");
        Assert.Contains("push", receiver.Items("spec", "events").Select(e => e.Root.GetValue<string>()));
        Assert.Equal(flux.Where(o => o.Kind == "GitRepository").Select(o => o.Name).Order(), receiver.Items("spec", "resources").Select(r => r["name"]).Order());
    }

    /// <summary>
    /// Main holds every environment's overlay, and a merge there must not reach a cluster: from main, Argo CD syncs only
    /// its own Applications and Flux only its own objects; every environment comes from its branch.
    /// </summary>
    [Fact]
    public void Nothing_syncs_an_overlay_from_main()
    {
        var flux = Flux();
        var fromMain = Argo("Application").Append(RootApplication())
            .Where(a => a["spec", "source", "targetRevision"] == fixture.Options.TargetRevision)
            .Select(a => a["spec", "source", "path"])
            .Concat(flux.Where(o => o.Kind == "Kustomization" && Source(flux, o)["spec", "ref", "branch"] == fixture.Options.TargetRevision)
                .Select(k => k["spec", "path"]));

        Assert.Equal(["./gitops-manifests/flux", "gitops-manifests/argocd/apps"], fromMain.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(fixture.Manifests.Files.Where(f => f.Key.StartsWith("argocd/", StringComparison.Ordinal) || f.Key.StartsWith("flux/", StringComparison.Ordinal)),
            f => f.Value.Contains("overlays", StringComparison.Ordinal));
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
        var argoDev = Argo("Application").Single(a => a["spec", "source", "targetRevision"] == "environments/dev");
        var devContext = expression.Groups["prefix"].Value + environments.Single(k => k.Name == argoDev.Name).Name;
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

    /// <summary>The one object of argocd/ itself, applied by hand.</summary>
    private CustomResource RootApplication()
    {
        var root = KubernetesYaml.Deserialize<Kustomization>(fixture.Manifests.Files["argocd/kustomization.yaml"], strict: true);
        return CustomResource.Parse(fixture.Manifests.Files[$"argocd/{root.Resources!.Single()}"]);
    }

    private List<CustomResource> Flux() => [.. fixture.Objects("flux").Cast<CustomResource>()];

    /// <summary>The Kustomizations that apply an environment: every one but the one that applies the Flux folder.</summary>
    private static List<CustomResource> EnvironmentKustomizations(List<CustomResource> flux) =>
        [.. flux.Where(o => o.Kind == "Kustomization" && o["spec", "path"] != "./gitops-manifests/flux")];

    private static CustomResource Source(List<CustomResource> flux, CustomResource kustomization)
    {
        Assert.Equal("GitRepository", kustomization["spec", "sourceRef", "kind"]);
        return flux.Single(o => o.Kind == "GitRepository" && o.Name == kustomization["spec", "sourceRef", "name"]);
    }

    /// <summary>
    /// The paths a GitRepository's artifact keeps: its <c>ignore</c> (gitignore syntax) must first ignore everything at
    /// the root, then admit paths one by one.
    /// </summary>
    private static List<string> Admitted(CustomResource source)
    {
        var lines = source["spec", "ignore"]!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/*", lines[0]);
        Assert.All(lines.Skip(1), line => Assert.StartsWith("!/", line, StringComparison.Ordinal));
        return [.. lines.Skip(1).Select(line => line[2..])];
    }
}
