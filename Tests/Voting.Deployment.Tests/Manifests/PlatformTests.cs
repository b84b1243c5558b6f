using System.Text.Json.Nodes;
using k8s.Models;
using Voting.Deployment.Tests.Azure;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// platform/ holds what a cluster admin applies once, for every environment: among it the StorageClass Redis claims
/// its disk from, exactly as infra/ describes it, so the cluster and the manifests agree on the disk that holds the votes.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class PlatformTests(RenderedManifestsFixture manifests, CompiledTemplateFixture infra) : IClassFixture<CompiledTemplateFixture>
{
    [Fact]
    public void The_storage_class_is_the_one_infra_outputs_and_the_redis_claim_names_it()
    {
        var output = (JsonObject)ArmExpression.Evaluate(infra.Template["outputs"]!["redisStorageClass"]!["value"]!.DeepClone(),
            TemplateContext.ForMain(infra.Template, infra.Parameters))!;
        var expected = new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "StorageClass",
            ["metadata"] = new JsonObject { ["name"] = output["name"]!.DeepClone() },
        };
        foreach (var (key, value) in output.Where(p => p.Key != "name"))
        {
            expected[key] = value!.DeepClone();
        }

        var rendered = CustomResource.Parse(manifests.Manifests.Files.Single(f => f.Key.StartsWith("platform/storageclass-", StringComparison.Ordinal)).Value).Root;
        Assert.True(JsonNode.DeepEquals(expected, rendered), $"rendered {rendered.ToJsonString()}\ninfra   {expected.ToJsonString()}");

        var redis = manifests.Objects("base").OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis");
        Assert.Equal((string?)output["name"], redis.Spec.VolumeClaimTemplates.Single().Spec.StorageClassName);
    }
}
