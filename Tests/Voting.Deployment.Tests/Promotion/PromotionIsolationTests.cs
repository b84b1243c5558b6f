using k8s;
using k8s.Models;
using Voting.Deployment.Tests.Manifests;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// Environments that cannot leak: an AppHost change merged to main reaches dev (once CD hydrates it) and leaves what
/// prod's Application and prod's Flux Kustomization sync byte for byte unchanged, until the promotion of the commit
/// dev runs is merged; then prod equals dev's state plus prod's own overrides.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class PromotionIsolationTests(RenderedManifestsFixture fixture)
{
    private const string Api = "myacr.azurecr.io/voting/api@sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Web = "myacr.azurecr.io/voting/web@sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public async Task An_AppHost_change_reaches_prod_only_through_the_promotion_of_what_dev_runs()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl", "node", "npm");

        using var repo = await GitOpsRepository.CreateAsync();
        var prodPaths = SyncedPaths(repo, "prod");
        var prodBefore = Snapshot(repo, prodPaths);

        // A developer raises the Api's CPU request in AppHost.cs, regenerates, and the pull request is merged.
        var manifests = await fixture.RenderWithChangeAsync("api", settings =>
        {
            var original = settings.Resources;
            settings.Resources = original with { CpuRequest = "321m" };
            return () => settings.Resources = original;
        });
        manifests.WriteTo(repo.Manifests);
        await repo.CommitAndPushAsync("Api: more CPU");
        Assert.Contains("cpu: 321m", File.ReadAllText(Path.Combine(repo.Manifests, "base", "deployment-api.yaml")), StringComparison.Ordinal);
        Assert.Equal(prodBefore, Snapshot(repo, SyncedPaths(repo, "prod")));

        // CD builds it and hydrates dev: dev gets the change, prod still not.
        var devRevision = await repo.HydrateDevAsync($"voting/api={Api}", $"voting/web={Web}");
        var dev = Objects(File.ReadAllText(Path.Combine(repo.Manifests, "environments", "dev", "manifest.yaml")));
        Assert.Equal("321m", Container(dev, "api").Resources.Requests["cpu"].ToString());
        Assert.Equal(prodBefore, Snapshot(repo, SyncedPaths(repo, "prod")));

        // Dev reports synced and healthy at that revision: the promotion proposes prod; only its merge changes prod.
        var promotion = await repo.PromoteAsync("argocd-deployed.json", devRevision);
        Assert.True(promotion.ExitCode == 0, promotion.ToString());
        Assert.Contains("proposed=true", promotion.Output, StringComparison.Ordinal);
        Assert.Equal(prodBefore, Snapshot(repo, SyncedPaths(repo, "prod")));
        await repo.MergePromotionAsync();

        var prodAfter = Snapshot(repo, prodPaths);
        Assert.NotEqual(prodBefore, prodAfter);
        var prod = Objects(prodAfter.Values.Single());
        foreach (var workload in new[] { "api", "web" })
        {
            // The same container (image, resources, configuration) as dev runs...
            Assert.Equal(KubernetesYaml.Serialize(Container(dev, workload)), KubernetesYaml.Serialize(Container(prod, workload)));
        }

        // ...in prod's namespace, with prod's own objects (autoscaling, disruption budgets), and every object dev has.
        Assert.All(prod.Where(o => Identity(o).Kind != "Namespace"), o => Assert.Equal("voting-prod", Identity(o).Namespace));
        Assert.Contains(prod, o => o is V2HorizontalPodAutoscaler);
        Assert.Empty(dev.Select(Key).Except(prod.Select(Key)));
    }

    /// <summary>What prod's Argo CD Application and prod's Flux Kustomization sync: both must name the same folder.</summary>
    private static string[] SyncedPaths(GitOpsRepository repo, string environment)
    {
        var application = CustomResource.Parse(
            File.ReadAllText(Path.Combine(repo.Manifests, "argocd", "apps", $"application-voting-{environment}.yaml")));
        var kustomization = CustomResource.Parse(
            File.ReadAllText(Path.Combine(repo.Manifests, "flux", $"kustomization-voting-{environment}.yaml")));
        Assert.Equal("./" + application["spec", "source", "path"], kustomization["spec", "path"]);
        return [application["spec", "source", "path"]!];
    }

    /// <summary>The YAML files of the synced folders as the clone holds them (Argo CD reads manifest.yaml only; so does Flux).</summary>
    private static SortedDictionary<string, string> Snapshot(GitOpsRepository repo, string[] paths) =>
        new(paths.SelectMany(p => Directory.EnumerateFiles(Path.Combine(repo.Clone.Path, p), "*.yaml"))
            .ToDictionary(f => Path.GetRelativePath(repo.Clone.Path, f), File.ReadAllText), StringComparer.Ordinal);

    private static List<object> Objects(string yaml) => [.. RenderedManifestsFixture.Load(yaml)];

    private static (string ApiVersion, string Kind, string Name, string? Namespace) Identity(object item) => RenderedManifestsFixture.Identity(item);

    private static V1Container Container(IEnumerable<object> objects, string deployment) =>
        objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == deployment).Spec.Template.Spec.Containers.Single();

    /// <summary>An object's identity within its environment (each environment's Namespace is named after it).</summary>
    private static string Key(object o) => Identity(o) is var (_, kind, name, _) && kind == "Namespace" ? "Namespace" : $"{kind}/{name}";
}
