using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/deploy-overlay.sh, push mode's apply. No Kubernetes API server can run here, so the cluster side
/// of kubectl is a model (FakeCluster/kubectl.mjs, first on PATH): it keeps the applied objects with the field managers
/// of each field, refuses a server-side apply that would take over another manager's field (the conflict rule), prunes
/// an ApplySet, and fails the rollout of a workload whose image the test calls broken. Rendering goes to the real
/// <c>kubectl kustomize</c>. What is checked is the script's own logic: what it applies (never the guardrails), that
/// it prunes through an ApplySet, and that a failed rollout puts back the last rendering that rolled out, with the same
/// apply, so that the next deployment applies without conflicts.
/// </summary>
public sealed class DeployOverlayTests : IDisposable
{
    /// <summary>
    /// The fake cluster's one npm package (a YAML parser), installed once per test run from its lock file into a folder
    /// of its own, so the repository holds no node_modules.
    /// </summary>
    private static readonly Lazy<Task<string>> YamlParser = new(async () =>
    {
        var model = Path.Combine(Repository.Root, "Tests", "Voting.Deployment.Tests", "Workflows", "FakeCluster");
        var folder = Directory.CreateTempSubdirectory("voting-fake-cluster-").FullName;
        File.Copy(Path.Combine(model, "package.json"), Path.Combine(folder, "package.json"));
        File.Copy(Path.Combine(model, "package-lock.json"), Path.Combine(folder, "package-lock.json"));
        await Script.RunCheckedAsync("npm", folder, "ci", "--no-audit", "--no-fund", "--loglevel=error");
        return folder;
    });

    private const string Web = "deployment/web";

    private readonly string _checkout = Directory.CreateTempSubdirectory("voting-deploy-").FullName;
    private readonly string _bin = Directory.CreateTempSubdirectory("voting-fake-kubectl-").FullName;

    public DeployOverlayTests() => CopyManifests();

    [Fact]
    public async Task Applies_the_overlay_without_its_guardrails_and_prunes_through_an_ApplySet()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");

        var result = await DeployAsync(Build(1));

        Assert.True(result.ExitCode == 0, result.ToString());
        var apply = Assert.Single(AppApplies());
        Assert.Contains("--server-side", apply, StringComparison.Ordinal);
        Assert.Contains("--prune --applyset=configmaps/dev-deployment", apply, StringComparison.Ordinal);
        Assert.Contains("--namespace voting-dev", apply, StringComparison.Ordinal);
        var objects = Cluster().Select(o => o.Key).ToList();
        Assert.Equal(Image("api", 1), ImageOf("Deployment/voting-dev/api", "api"));
        Assert.DoesNotContain(objects, o => o.StartsWith("Namespace/", StringComparison.Ordinal));
        Assert.DoesNotContain(objects, o => o.StartsWith("ResourceQuota/", StringComparison.Ordinal));
        Assert.DoesNotContain(objects, o => o.StartsWith("LimitRange/", StringComparison.Ordinal));
        Assert.Contains("HTTPRoute/voting-dev/web", objects);
        Assert.Contains("rollout status deployment/api --namespace voting-dev --timeout 5m", Calls());
    }

    [Fact]
    public async Task Keeps_the_rendering_that_rolled_out_as_the_known_good_one_and_reads_no_secret()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");

        var result = await DeployAsync(Build(1));

        Assert.True(result.ExitCode == 0, result.ToString());
        var knownGood = Fields("ConfigMap/voting-dev/dev-known-good");
        Assert.Contains($"image: {Image("web", 1)}", (string)JsonNode.Parse(knownGood["data.manifest.yaml"].Value)!, StringComparison.Ordinal);
        Assert.Equal(["voting-cd-push"], knownGood["data.manifest.yaml"].Managers);
        Assert.DoesNotContain(Calls(), call => call.Contains("secret", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_failed_rollout_puts_back_the_known_good_rendering_with_the_same_apply_and_the_next_deployment_applies_without_conflict()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");
        await DeployAndAssertAsync(Build(1));

        var failed = await DeployAsync(Build(2), broken: Image("web", 2));

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"{Web} did not become ready", failed.Error, StringComparison.Ordinal);
        Assert.Contains("putting back the last rendering that rolled out (configmap/dev-known-good)", failed.Error, StringComparison.Ordinal);
        Assert.Contains("back on its known-good rendering; this deployment failed", failed.Error, StringComparison.Ordinal);
        Assert.Equal(Image("web", 1), ImageOf("Deployment/voting-dev/web", "web"));
        // One field manager for every field of the pod templates, so nothing the next apply sets belongs to another.
        var ownersAfterRollback = Fields("Deployment/voting-dev/web").Where(f => f.Key.StartsWith("spec.template.", StringComparison.Ordinal))
            .SelectMany(f => f.Value.Managers).Distinct().ToList();

        var next = await DeployAsync(Build(3));

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(Image("web", 3), ImageOf("Deployment/voting-dev/web", "web"));
        Assert.Equal(["voting-cd-push"], ownersAfterRollback);
        var applies = AppApplies();
        Assert.Equal(4, applies.Count); // 1, 2, 1 again, 3
        Assert.All(applies, apply => Assert.EndsWith(
            "--namespace voting-dev --server-side --field-manager=voting-cd-push --prune --applyset=configmaps/dev-deployment", apply, StringComparison.Ordinal));
        Assert.DoesNotContain(Calls(), call => call.Contains("--force-conflicts", StringComparison.Ordinal) || call.StartsWith("rollout undo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_rollout_returns_the_ConfigMaps_to_the_known_good_rendering_and_prunes_what_only_the_failed_one_had()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");
        await DeployAndAssertAsync(Build(1));
        var goodConfig = Fields("ConfigMap/voting-dev/api-config");

        // The next commit changes the Api's settings and adds a ConfigMap; its Web never becomes ready.
        var baseFolder = Path.Combine(_checkout, "gitops-manifests", "base");
        File.AppendAllText(Path.Combine(baseFolder, "configmap-api-config.yaml"), "  VOTE1VALUE: Mice\n");
        File.WriteAllText(Path.Combine(baseFolder, "configmap-feature-flags.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: feature-flags\ndata:\n  THIRD_OPTION: \"true\"\n");
        File.AppendAllText(Path.Combine(baseFolder, "kustomization.yaml"), "- configmap-feature-flags.yaml\n");
        var failed = await DeployAsync(Build(2), broken: Image("web", 2));

        Assert.Equal(1, failed.ExitCode);
        Assert.Equal(Image("api", 1), ImageOf("Deployment/voting-dev/api", "api"));
        Assert.Equal(Flatten(goodConfig), Flatten(Fields("ConfigMap/voting-dev/api-config")));
        Assert.DoesNotContain(Cluster(), o => o.Key == "ConfigMap/voting-dev/feature-flags");
        Assert.Contains($"image: {Image("web", 1)}",
            (string)JsonNode.Parse(Fields("ConfigMap/voting-dev/dev-known-good")["data.manifest.yaml"].Value)!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_deployment_has_nothing_to_put_back_when_its_rollout_fails_and_fails()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");

        var result = await DeployAsync(Build(1), broken: Image("web", 1));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no known-good rendering in configmap/dev-known-good (the first deployment here): nothing to put back", result.Error, StringComparison.Ordinal);
        Assert.Single(AppApplies());
        Assert.DoesNotContain(Cluster(), o => o.Key == "ConfigMap/voting-dev/dev-known-good");
    }

    [Fact]
    public async Task An_image_name_no_container_uses_fails_before_anything_reaches_the_cluster()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");

        var result = await DeployAsync([$"voting/api={Image("api", 1)}", $"voting/wbe={Image("web", 1)}"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no container of", result.Error, StringComparison.Ordinal);
        Assert.Contains($"renders with image {Image("web", 1)}", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_bin, "calls")), "kubectl was asked to change the cluster.");
    }

    /// <summary>Build <paramref name="n"/>'s images, by digest, as build-images.yml outputs them.</summary>
    private static string[] Build(int n) => [$"voting/api={Image("api", n)}", $"voting/web={Image("web", n)}"];

    private static string Image(string service, int build) => $"myacr.azurecr.io/voting/{service}@sha256:{new string((char)('0' + build), 63)}{(service == "api" ? 'a' : 'b')}";

    private async Task DeployAndAssertAsync(string[] images)
    {
        var result = await DeployAsync(images);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private async Task<ScriptResult> DeployAsync(string[] images, string broken = "")
    {
        var tools = await YamlParser.Value;
        var realKubectl = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, "kubectl")).First(File.Exists);
        var model = Path.Combine(Repository.Root, "Tests", "Voting.Deployment.Tests", "Workflows", "FakeCluster", "kubectl.mjs");
        var fake = Path.Combine(_bin, "kubectl");
        await File.WriteAllTextAsync(fake, $$"""
            #!/usr/bin/env bash
            # Rendering is the real kubectl's; everything that reaches the cluster goes to the model.
            if [[ $1 == kustomize || ($1 == create && " $* " == *" --dry-run=client "*) ]]; then exec "{{realKubectl}}" "$@"; fi
            exec node "{{model}}" "$@"
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        Script.MakeExecutable(fake);

        return await Script.RunAsync(Script.Path("deploy-overlay.sh"), ["dev", .. images], _checkout, new Dictionary<string, string>
        {
            ["PATH"] = $"{_bin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
            ["FAKE_CLUSTER"] = _bin,
            ["YAML_TOOLS"] = tools,
            ["BROKEN_IMAGES"] = broken,
        });
    }

    /// <summary>
    /// The committed manifests, whose overlays hold the guardrails (Namespace, ResourceQuota, LimitRange). An overlay's
    /// images: may name only what CD does not set (Redis's registry copy): an entry for voting/api or voting/web would
    /// rename the image before CD's own kustomization sees it, so any such entry is left out of the copy.
    /// </summary>
    private void CopyManifests()
    {
        var source = Path.Combine(Repository.Root, "gitops-manifests");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_checkout, "gitops-manifests", Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Assert.Contains("app.kubernetes.io/component: guardrails",
            File.ReadAllText(Path.Combine(source, "overlays", "dev", "namespace-voting-dev.yaml")), StringComparison.Ordinal);
    }

    /// <summary>The app's applies (a rendering, by file), not the known-good ConfigMap's (from standard input).</summary>
    private List<string> AppApplies() =>
        Calls().Where(c => c.StartsWith("apply ", StringComparison.Ordinal) && !c.StartsWith("apply --filename - ", StringComparison.Ordinal)).ToList();

    private string[] Calls() => File.ReadAllLines(Path.Combine(_bin, "calls"));

    private JsonObject Cluster() => JsonNode.Parse(File.ReadAllText(Path.Combine(_bin, "state.json")))!["objects"]!.AsObject();

    /// <summary>An object's fields by dotted path (list items by name), each with its JSON value and its field managers.</summary>
    private Dictionary<string, (string Value, string[] Managers)> Fields(string key) =>
        Cluster()[key]?["fields"]?.AsObject().ToDictionary(
            field => string.Join('.', JsonNode.Parse(field.Key)!.AsArray().Select(p => (string)p!)),
            field => ((string)field.Value!["value"]!, field.Value["managers"]!.AsArray().Select(m => (string)m!).ToArray()))
        ?? throw new InvalidOperationException($"The cluster holds no {key}.");

    private string? ImageOf(string key, string container) =>
        (string?)JsonNode.Parse(Fields(key)[$"spec.template.spec.containers.[name=\"{container}\"].image"].Value);

    private static List<string> Flatten(Dictionary<string, (string Value, string[] Managers)> fields) =>
        fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value.Value} by {string.Join(',', f.Value.Managers)}").ToList();

    public void Dispose()
    {
        Directory.Delete(_checkout, recursive: true);
        Directory.Delete(_bin, recursive: true);
    }
}
