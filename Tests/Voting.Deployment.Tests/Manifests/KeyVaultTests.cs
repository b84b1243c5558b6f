using System.Net;
using k8s.Models;

namespace Voting.Deployment.Tests.Manifests;

/// <summary>
/// No one creates a Secret by hand: each environment's Key Vault is read by the Secrets Store CSI driver with the
/// environment's workload identity, and the driver syncs exactly the Secrets the pods read, while they mount it.
/// </summary>
[Collection(RenderedManifestsCollection.Name)]
public sealed class KeyVaultTests(RenderedManifestsFixture fixture)
{
    public static TheoryData<string> Environments => new() { "dev", "prod" };

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
        var providerClass = ProviderClass(environment);
        var azure = fixture.Options.Environments[environment];

        Assert.Equal("azure", providerClass["spec", "provider"]);
        Assert.Equal(azure.WorkloadClientId, providerClass["spec", "parameters", "clientID"]);
        Assert.Equal(azure.KeyVaultName, providerClass["spec", "parameters", "keyvaultName"]);
        Assert.Equal(fixture.Options.Azure.TenantId, providerClass["spec", "parameters", "tenantId"]);
        Assert.Equal("false", providerClass["spec", "parameters", "usePodIdentity"]);

        // Every secretKeyRef of every pod is a synced Secret's key, filled from the Key Vault secret of the same name.
        var read = Pods().SelectMany(p => p.Spec.Containers).SelectMany(c => c.Env ?? [])
            .Where(e => e.ValueFrom?.SecretKeyRef is not null)
            .Select(e => $"{e.ValueFrom.SecretKeyRef.Name}/{e.ValueFrom.SecretKeyRef.Key}")
            .ToHashSet(StringComparer.Ordinal);
        var synced = providerClass.Items("spec", "secretObjects")
            .SelectMany(s => s.Items("data").Select(d => (SecretName: s["secretName"], ObjectName: d["objectName"], Key: d["key"])))
            .ToList();
        Assert.NotEmpty(read);
        Assert.Equal(read.Order(StringComparer.Ordinal), synced.Select(s => $"{s.SecretName}/{s.Key}").Order(StringComparer.Ordinal));
        Assert.All(synced, s => Assert.Equal(s.SecretName, s.ObjectName));

        // Each object is fetched as a secret, and the vault holds it: infra writes every one of them.
        var objects = providerClass["spec", "parameters", "objects"]!;
        var infra = File.ReadAllText(Path.Combine(Repository.Root, "infra/modules/key-vault.bicep"))
            + File.ReadAllText(Path.Combine(Repository.Root, "infra/bootstrap.sh"));
        foreach (var name in synced.Select(s => s.ObjectName!).Distinct())
        {
            Assert.Contains($"objectName: {name}\n    objectType: secret\n", objects, StringComparison.Ordinal);
            Assert.True(infra.Contains($"name: '{name}'", StringComparison.Ordinal) || infra.Contains($"secret set --vault-name \"$vault\" --name {name}", StringComparison.Ordinal),
                $"infra/ never writes the Key Vault secret {name}");
        }
    }

    /// <summary>The driver syncs a Secret only while some pod mounts its class, and fetches with the pod's account.</summary>
    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_pod_that_reads_a_secret_runs_as_the_service_account_and_mounts_the_provider_class(string environment)
    {
        var readers = Pods().Where(p => p.Spec.Containers.SelectMany(c => c.Env ?? []).Any(e => e.ValueFrom?.SecretKeyRef is not null)).ToList();
        var account = fixture.Objects($"overlays/{environment}").OfType<V1ServiceAccount>().Single();

        Assert.NotEmpty(readers);
        Assert.All(readers, pod =>
        {
            Assert.Equal(account.Metadata.Name, pod.Spec.ServiceAccountName);
            Assert.False(pod.Spec.AutomountServiceAccountToken);
            var volume = pod.Spec.Volumes.Single(v => v.Csi is not null);
            Assert.Equal("secrets-store.csi.k8s.io", volume.Csi.Driver);
            Assert.True(volume.Csi.ReadOnlyProperty);
            Assert.Equal(ProviderClass(environment).Name, volume.Csi.VolumeAttributes["secretProviderClass"]);
            var mount = pod.Spec.Containers.Single().VolumeMounts.Single(m => m.Name == volume.Name);
            Assert.True(mount.ReadOnlyProperty);
        });
    }

    /// <summary>
    /// The egress rule to Azure Monitor opens public addresses only: not the cluster's pods (AKS overlay's default
    /// 10.244.0.0/16) or services (10.0.0.0/16), not the virtual network's private ranges, not the instance metadata service.
    /// </summary>
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
        bool Allowed(string address) => IPNetwork.Parse(block.Cidr).Contains(IPAddress.Parse(address))
            && !block.Except.Any(except => IPNetwork.Parse(except).Contains(IPAddress.Parse(address)));
        Assert.True(Allowed("20.42.65.90"), "a public address (Azure Monitor's ingestion endpoints are public)");
        foreach (var internalAddress in new[] { "10.244.3.7", "10.0.0.10", "10.224.0.4", "172.16.5.1", "192.168.1.1", "169.254.169.254" })
        {
            Assert.False(Allowed(internalAddress), $"{internalAddress} is inside the cluster, its network or the node");
        }

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

    private CustomResource ProviderClass(string environment) =>
        fixture.Objects($"overlays/{environment}").OfType<CustomResource>().Single(o => o.Kind == "SecretProviderClass");

    private V1NetworkPolicy Policy(string workload) =>
        fixture.Objects("base").OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == $"allow-{workload}");

    private List<V1PodTemplateSpec> Pods()
    {
        var objects = fixture.Objects("base").ToList();
        return [.. objects.OfType<V1Deployment>().Select(d => d.Spec.Template), .. objects.OfType<V1StatefulSet>().Select(s => s.Spec.Template)];
    }
}
