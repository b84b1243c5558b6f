using k8s;
using k8s.Models;
using Voting.Deployment.Tests.Manifests;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// Environments that cannot leak, on the manifests the AppHost really generates: an AppHost change merged to main
/// reaches dev once CD hydrates it, and leaves environments/prod (what prod's operator syncs) unchanged until the
/// promotion of the build dev runs is merged; then prod runs dev's containers, with prod's own objects.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class PromotionIsolationTests(RenderedManifestsFixture fixture)
{
    [Fact]
    public async Task An_AppHost_change_reaches_prod_only_through_the_promotion_of_what_dev_runs()
    {
        RequiredTools.Require("bash", "git", "jq", "kubectl");
        var manifests = fixture.Manifests.Files.ToDictionary(f => $"gitops-manifests/{f.Key}", f => f.Value, StringComparer.Ordinal);
        using var repo = await GitOpsRepository.CreateAsync(manifests);
        var github = new FakeGitHub(repo);
        var prodBefore = await repo.HeadAsync("environments/prod");

        // A developer raises the Api's CPU request in AppHost.cs, regenerates, and the pull request is merged.
        var changed = await fixture.RenderWithChangeAsync("api", settings =>
        {
            var original = settings.Resources;
            settings.Resources = original with { CpuRequest = "321m" };
            return () => settings.Resources = original;
        });
        changed.WriteTo(Path.Combine(repo.Clone, "gitops-manifests"));
        var source = await repo.CommitToMainAsync("Api: more CPU");
        Assert.Equal(prodBefore, await repo.HeadAsync("environments/prod"));

        // CD builds it and hydrates dev: dev gets the change, prod still not.
        await github.CdDevAsync(source, PromotionScenarioTests.Build("b1"));
        var devHead = (await repo.HeadAsync("environments/dev"))!;
        var dev = Objects((await repo.ShowAsync(devHead, "manifest.yaml"))!);
        Assert.Equal("321m", Container(dev, "api").Resources.Requests["cpu"].ToString());
        Assert.Equal(prodBefore, await repo.HeadAsync("environments/prod"));

        // Dev reports healthy: the promotion proposes prod; only its merge changes prod.
        var promotion = await github.PromoteProdAsync(github.Report(devHead, "argocd-deployed.json"), dry => dry == source);
        Assert.Equal("true", promotion["proposed"]);
        Assert.Equal(prodBefore, await repo.HeadAsync("environments/prod"));
        Assert.NotNull(await github.MergeAsync((await repo.HeadAsync("promote/prod"))!, "Promote b1"));

        var prod = Objects((await repo.ShowAsync((await repo.HeadAsync("environments/prod"))!, "manifest.yaml"))!);
        foreach (var workload in new[] { "api", "web" })
        {
            // The same container (image, resources, configuration) as dev runs...
            Assert.Equal(KubernetesYaml.Serialize(Container(dev, workload)), KubernetesYaml.Serialize(Container(prod, workload)));
        }

        // ...in prod's namespace, with prod's own objects (autoscaling, disruption budgets), and every object dev has.
        Assert.All(prod.Select(RenderedManifestsFixture.Identity).Where(o => o.Kind != "Namespace"), o => Assert.Equal("voting-prod", o.Namespace));
        Assert.Contains(prod, o => RenderedManifestsFixture.Identity(o).Kind == "HorizontalPodAutoscaler");
        Assert.Empty(dev.Select(Key).Except(prod.Select(Key)));
    }

    private static List<object> Objects(string yaml) => [.. RenderedManifestsFixture.Load(yaml)];

    private static V1Container Container(IEnumerable<object> objects, string deployment) =>
        objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == deployment).Spec.Template.Spec.Containers.Single();

    /// <summary>An object's identity within its environment (each environment's Namespace is named after it).</summary>
    private static string Key(object o) => RenderedManifestsFixture.Identity(o) is var (_, kind, name, _) && kind == "Namespace" ? kind : $"{kind}/{name}";
}
