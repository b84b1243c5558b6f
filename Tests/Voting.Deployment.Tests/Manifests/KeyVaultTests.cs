using k8s.Models;
using Voting.AppHost.Kubernetes.SecretsStore;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// No one creates a Secret by hand: each environment's Key Vault is read by the Secrets Store CSI driver with the
/// environment's workload identity, and the driver syncs exactly the Secrets the pods read, while they mount it.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class KeyVaultTests(RenderedManifestsFixture fixture)
{
    public static TheoryData<string> Environments => new() { "dev", "prod" };

    public static TheoryData<string> Workloads => new() { "api", "web", "redis" };

    [Theory]
    [MemberData(nameof(Environments))]
    public void Each_overlay_has_the_service_account_federated_with_its_environments_workload_identity(string environment)
    {
        var account = fixture.Objects($"overlays/{environment}").OfType<V1ServiceAccount>().Single();

        // The federated credential's subject in infra/main.bicep: system:serviceaccount:voting-<env>:voting.
        Assert.Equal("voting", account.Metadata.Name);
        Assert.Equal(
            fixture.Options.Environments[environment].WorkloadClientId,
            account.Metadata.Annotations["azure.workload.identity/client-id"]);
        Assert.False(account.AutomountServiceAccountToken);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_secret_provider_class_reads_the_environments_vault_and_syncs_every_secret_a_pod_reads(string environment)
    {
        var providerClass = fixture.Objects($"overlays/{environment}").OfType<SecretProviderClass>().Single();
        var parameters = providerClass.Spec.Parameters!;
        var azure = fixture.Options.Environments[environment];

        Assert.Equal(KeyVaultMapping.ProviderClassName, providerClass.Metadata.Name);
        Assert.Equal("azure", providerClass.Spec.Provider);
        Assert.Equal(azure.WorkloadClientId, parameters["clientID"]);
        Assert.Equal(azure.KeyVaultName, parameters["keyvaultName"]);
        Assert.Equal(fixture.Options.Azure.TenantId, parameters["tenantId"]);
        Assert.Equal("false", parameters["usePodIdentity"]);

        // Every secretKeyRef of every pod is a synced Secret's key, filled from the Key Vault secret of the same name.
        var read = Pods().SelectMany(p => p.Spec.Containers).SelectMany(c => c.Env ?? [])
            .Where(e => e.ValueFrom?.SecretKeyRef is not null)
            .Select(e => $"{e.ValueFrom.SecretKeyRef.Name}/{e.ValueFrom.SecretKeyRef.Key}")
            .ToHashSet(StringComparer.Ordinal);
        var synced = providerClass.Spec.SecretObjects!
            .SelectMany(s => s.Data!.Select(d => (s.SecretName, d.ObjectName, d.Key)))
            .ToList();
        Assert.Equal(
            read.Order(StringComparer.Ordinal),
            synced.Select(s => $"{s.SecretName}/{s.Key}").Order(StringComparer.Ordinal));
        Assert.All(synced, s => Assert.Equal(s.SecretName, s.ObjectName));
        Assert.Equal(["appinsights-connection-string/value", "redis-password/value"], read.Order(StringComparer.Ordinal));
        foreach (var name in synced.Select(s => s.ObjectName).Distinct())
        {
            Assert.Contains($"objectName: {name}\n    objectType: secret\n", parameters["objects"], StringComparison.Ordinal);
        }
    }

    /// <summary>The driver syncs a Secret only while some pod mounts its class, and fetches with the pod's account.</summary>
    [Theory]
    [MemberData(nameof(Workloads))]
    public void Every_pod_that_reads_a_secret_runs_as_the_service_account_and_mounts_the_provider_class(string workload)
    {
        var pod = Pods().Single(p => p.Metadata.Labels["app.kubernetes.io/name"] == workload);

        Assert.Equal("voting", pod.Spec.ServiceAccountName);
        Assert.False(pod.Spec.AutomountServiceAccountToken);
        var volume = pod.Spec.Volumes.Single(v => v.Csi is not null);
        Assert.Equal("secrets-store.csi.k8s.io", volume.Csi.Driver);
        Assert.True(volume.Csi.ReadOnlyProperty);
        Assert.Equal(KeyVaultMapping.ProviderClassName, volume.Csi.VolumeAttributes["secretProviderClass"]);
        var mount = pod.Spec.Containers.Single().VolumeMounts.Single(m => m.Name == volume.Name);
        Assert.True(mount.ReadOnlyProperty);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("web")]
    public void Api_and_web_read_the_Application_Insights_connection_string_and_may_reach_Azure_Monitor_only_over_HTTPS_to_public_addresses(string workload)
    {
        var variable = Pods().Single(p => p.Metadata.Labels["app.kubernetes.io/name"] == workload)
            .Spec.Containers.Single().Env.Single(e => e.Name == "APPLICATIONINSIGHTS_CONNECTION_STRING");
        Assert.Equal("appinsights-connection-string", variable.ValueFrom.SecretKeyRef.Name);
        Assert.True(variable.ValueFrom.SecretKeyRef.Optional);

        var rule = Assert.Single(Policy(workload).Spec.Egress, r => r.To.Single().IpBlock is not null);
        var block = rule.To.Single().IpBlock;
        Assert.Equal("0.0.0.0/0", block.Cidr);
        Assert.Equal(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"], block.Except);
        var port = rule.Ports.Single();
        Assert.Equal(("TCP", "443"), (port.Protocol, port.Port.Value));
    }

    [Fact]
    public void Redis_reads_its_password_from_the_vault_but_has_no_path_out_of_the_cluster()
    {
        Assert.All(Policy("redis").Spec.Egress ?? [], r => Assert.All(r.To, peer => Assert.Null(peer.IpBlock)));
        Assert.DoesNotContain(
            Pods().Single(p => p.Metadata.Labels["app.kubernetes.io/name"] == "redis").Spec.Containers.Single().Env,
            e => e.Name == "APPLICATIONINSIGHTS_CONNECTION_STRING");
    }

    private V1NetworkPolicy Policy(string workload) =>
        fixture.Objects("base").OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == $"allow-{workload}");

    private List<V1PodTemplateSpec> Pods()
    {
        var objects = fixture.Objects("base").ToList();
        return [.. objects.OfType<V1Deployment>().Select(d => d.Spec.Template), .. objects.OfType<V1StatefulSet>().Select(s => s.Spec.Template)];
    }
}
