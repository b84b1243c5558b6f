using System.Security.Cryptography;
using System.Text;
using k8s.Models;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// What differs by environment once kustomize has rendered the overlay: production refuses resets, and every
/// service reports which environment it runs in. Rendered with kubectl's kustomize, as Argo CD and Flux do.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class EnvironmentSettingsTests(RenderedManifestsFixture fixture)
{
    [Theory]
    [InlineData("dev", null)]
    [InlineData("prod", "false")]
    public async Task Production_turns_resets_off_and_the_pods_roll_onto_it(string environment, string? allowReset)
    {
        RequiredTools.Require("kubectl");

        var objects = await RenderAsync(environment);
        var config = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "api-config").Data;

        Assert.Equal(allowReset, config.TryGetValue("ALLOW_RESET", out var value) ? value : null);
        // The pod template's checksum is that of the ConfigMap the pods read, so a changed setting rolls them.
        var api = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "api");
        Assert.Equal(Checksum(config), api.Spec.Template.Metadata.Annotations["checksum/config"]);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task Every_service_reports_its_name_namespace_and_environment(string environment)
    {
        RequiredTools.Require("kubectl");

        var objects = await RenderAsync(environment);
        foreach (var workload in new[] { "api", "web" })
        {
            var config = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == $"{workload}-config").Data;
            Assert.Equal(workload, config["OTEL_SERVICE_NAME"]);
            Assert.Equal($"deployment.environment.name={environment},service.namespace=voting", config["OTEL_RESOURCE_ATTRIBUTES"]);
            Assert.DoesNotContain(config.Keys, key => key.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal));

            var deployment = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == workload);
            Assert.Equal(Checksum(config), deployment.Spec.Template.Metadata.Annotations["checksum/config"]);
        }
    }

    private async Task<List<object>> RenderAsync(string environment)
    {
        var copy = Directory.CreateTempSubdirectory("gitops-manifests-env-").FullName;
        try
        {
            fixture.Manifests.WriteTo(copy);
            var yaml = await Script.RunCheckedAsync("kubectl", copy, "kustomize", Path.Combine("overlays", environment));
            return [.. RenderedManifestsFixture.Load(yaml)];
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>The generator's checksum, recomputed here: SHA-256 of the sorted KEY=value lines.</summary>
    private static string Checksum(IDictionary<string, string> data) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\n', data.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")))));
}
