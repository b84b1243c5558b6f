using System.Text.Json.Nodes;

namespace Voting.Deployment.Tests.Azure;

/// <summary>
/// Redis survives the loss of a zone's nodes: its disk is zone-redundant, so it attaches in any zone, and every zone
/// keeps a node of its own, so a pod evicted from one zone has somewhere to go.
/// </summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class ZoneResilienceTests(CompiledTemplateFixture infra)
{
    [Fact]
    public void Redis_claims_its_disk_from_a_zone_redundant_class_that_keeps_the_disk()
    {
        var storageClass = ArmExpression.Evaluate(infra.Template["outputs"]!["redisStorageClass"]!["value"]!.DeepClone(),
            TemplateContext.ForMain(infra.Template, infra.Parameters))!;

        Assert.Equal("disk.csi.azure.com", storageClass["provisioner"]!.GetValue<string>());
        Assert.Matches("^(Premium|StandardSSD)_ZRS$", storageClass["parameters"]!["skuName"]!.GetValue<string>());
        Assert.Equal("Retain", storageClass["reclaimPolicy"]!.GetValue<string>());
        Assert.Equal("WaitForFirstConsumer", storageClass["volumeBindingMode"]!.GetValue<string>());
        Assert.True(storageClass["allowVolumeExpansion"]!.GetValue<bool>());
        Assert.True(Cluster().Definition["properties"]!["storageProfile"]!["diskCSIDriver"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Every_zone_has_a_node_pool_that_keeps_at_least_one_node()
    {
        var cluster = Cluster();
        var zones = ((JsonArray)cluster.Context.Parameter("availabilityZones")!).Select(z => z!.GetValue<string>()).ToList();
        var loop = cluster.Definition["properties"]!["copy"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "agentPoolProfiles")!;
        var count = ArmExpression.Evaluate(loop["count"]!.DeepClone(), cluster.Context)!.GetValue<int>();
        var pools = Enumerable.Range(0, count)
            .Select(i => (JsonObject)ArmExpression.EvaluateDeep(loop["input"]!.DeepClone(), cluster.Context.WithCopyIndex(i))!)
            .ToList();

        Assert.True(zones.Count >= 2, "Zone-redundant disks and zone failover need a region with availability zones.");
        Assert.Equal(zones, pools.SelectMany(p => p["availabilityZones"]!.AsArray().Select(z => z!.GetValue<string>())));
        Assert.All(pools, pool =>
        {
            Assert.Single(pool["availabilityZones"]!.AsArray());
            Assert.True(pool["enableAutoScaling"]!.GetValue<bool>());
            Assert.True(pool["minCount"]!.GetValue<int>() >= 1, $"{pool["name"]}: a zone may be left without a node");
        });
        Assert.True(infra.Template["parameters"]!["availabilityZones"]!["minLength"]!.GetValue<int>() >= 2, "A region without zones must be refused.");
    }

    private DeployedResource Cluster() => infra.Resources().Single(r => r.Type == "Microsoft.ContainerService/managedClusters");
}
