namespace Voting.Deployment.Tests.Azure;

/// <summary>Azure Backup for AKS protects every namespace the overlays deploy to, with their volumes, on a schedule.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class BackupTests(CompiledTemplateFixture infra)
{
    [Fact]
    public void Every_overlay_namespace_is_backed_up_with_a_snapshot_of_its_volumes_on_a_schedule_kept_for_a_retention()
    {
        var overlayNamespaces = Directory.EnumerateFiles(Path.Combine(Repository.Root, "gitops-manifests", "overlays"), "kustomization.yaml", SearchOption.AllDirectories)
            .SelectMany(File.ReadAllLines)
            .Where(line => line.StartsWith("namespace: ", StringComparison.Ordinal))
            .Select(line => line["namespace: ".Length..].Trim())
            .Order(StringComparer.Ordinal);

        var instance = infra.Resources().Single(r => r.Type == "Microsoft.DataProtection/backupVaults/backupInstances");
        var parameters = instance.Definition["properties"]!["policyInfo"]!["policyParameters"]!["backupDatasourceParametersList"]!.AsArray().Single()!;
        var namespaces = ArmExpression.Evaluate(parameters["includedNamespaces"]!.DeepClone(), instance.Context)!.AsArray()
            .Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal);
        var policy = infra.Resources().Single(r => r.Type == "Microsoft.DataProtection/backupVaults/backupPolicies");

        Assert.Equal(overlayNamespaces, namespaces);
        Assert.True(parameters["snapshotVolumes"]!.GetValue<bool>());
        var rules = policy.Definition["properties"]!["policyRules"]!.AsArray();
        var schedule = rules.Single(r => r!["objectType"]!.GetValue<string>() == "AzureBackupRule")!["trigger"]!["schedule"]!["repeatingTimeIntervals"]![0];
        var retention = rules.Single(r => r!["objectType"]!.GetValue<string>() == "AzureRetentionRule")!["lifecycles"]![0]!["deleteAfter"]!["duration"];
        Assert.Matches(@"^R/.+/PT\d+H$", ArmExpression.EvaluateString(schedule!.DeepClone(), policy.Context));
        Assert.Matches(@"^P\d+D$", ArmExpression.EvaluateString(retention!.DeepClone(), policy.Context));
    }
}
