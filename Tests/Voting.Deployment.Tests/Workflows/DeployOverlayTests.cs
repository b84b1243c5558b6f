
namespace Voting.Deployment.Tests.Workflows;

/// <summary>
/// .github/scripts/deploy-overlay.sh, push mode's apply. No Kubernetes API server can run here, so the cluster side
/// of kubectl is a recording stand-in (a script named kubectl first on PATH): it records each call and answers
/// <c>rollout status</c> as the test says, while rendering goes to the real <c>kubectl kustomize</c>. What is checked
/// is the script's own logic: what it applies (never the guardrails), that it prunes through an ApplySet, and that a
/// failed rollout is rolled back and fails the job.
/// </summary>
public sealed class DeployOverlayTests : IDisposable
{
    private const string Api = "myacr.azurecr.io/voting/api@sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Web = "myacr.azurecr.io/voting/web@sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private readonly string _checkout = Directory.CreateTempSubdirectory("voting-deploy-").FullName;
    private readonly string _bin = Directory.CreateTempSubdirectory("voting-fake-kubectl-").FullName;

    [Fact]
    public async Task Applies_the_overlay_without_its_guardrails_and_prunes_through_an_ApplySet()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");

        var result = await DeployAsync(failingRollout: "");

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = Calls();
        var apply = Assert.Single(calls, c => c.StartsWith("apply ", StringComparison.Ordinal));
        Assert.Contains("--server-side", apply, StringComparison.Ordinal);
        Assert.Contains("--prune --applyset=configmaps/dev-deployment", apply, StringComparison.Ordinal);
        Assert.Contains("--namespace voting-dev", apply, StringComparison.Ordinal);
        var applied = File.ReadAllText(Path.Combine(_bin, "applied.yaml"));
        Assert.Contains($"image: {Api}", applied, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: Namespace", applied, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: ResourceQuota", applied, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: LimitRange", applied, StringComparison.Ordinal);
        Assert.DoesNotContain("guardrails", applied, StringComparison.Ordinal);
        Assert.Contains("kind: HTTPRoute", applied, StringComparison.Ordinal);
        Assert.Contains("rollout status deployment/api --namespace voting-dev --timeout 5m", calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("rollout undo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rollout_that_fails_is_rolled_back_and_fails_the_deployment()
    {
        RequiredTools.Require("bash", "kubectl", "node", "npm");

        var result = await DeployAsync(failingRollout: "deployment/web");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("deployment/web did not become ready; rolling back", result.Error, StringComparison.Ordinal);
        var calls = Calls();
        Assert.Contains("rollout undo deployment/web --namespace voting-dev", calls);
        Assert.DoesNotContain(calls, c => c.StartsWith("rollout undo deployment/api", StringComparison.Ordinal));
    }

    private async Task<ScriptResult> DeployAsync(string failingRollout)
    {
        CopyManifests();
        var realKubectl = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, "kubectl")).First(File.Exists);
        var fake = Path.Combine(_bin, "kubectl");
        await File.WriteAllTextAsync(fake, $$"""
            #!/usr/bin/env bash
            # Stand-in for the cluster: records the call; rendering goes to the real kubectl.
            if [[ $1 == kustomize ]]; then exec "{{realKubectl}}" "$@"; fi
            echo "$*" >>"{{_bin}}/calls"
            if [[ $1 == apply ]]; then
                while (($#)); do [[ $1 == --filename ]] && cp "$2" "{{_bin}}/applied.yaml"; shift; done
            fi
            if [[ $1 == rollout && $2 == status && $3 == "{{failingRollout}}" ]]; then exit 1; fi
            exit 0
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        await Script.RunCheckedAsync("chmod", _bin, "+x", fake);

        return await Script.RunAsync(Script.Path("deploy-overlay.sh"), ["dev", $"voting/api={Api}", $"voting/web={Web}"], _checkout,
            new Dictionary<string, string> { ["PATH"] = $"{_bin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}" });
    }

    /// <summary>The committed manifests, whose overlays hold the guardrails (Namespace, ResourceQuota, LimitRange).</summary>
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

    private string[] Calls() => File.ReadAllLines(Path.Combine(_bin, "calls"));

    public void Dispose()
    {
        Directory.Delete(_checkout, recursive: true);
        Directory.Delete(_bin, recursive: true);
    }
}
