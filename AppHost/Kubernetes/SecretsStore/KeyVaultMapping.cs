using System.Text.RegularExpressions;
using Voting.AppHost.Kubernetes.Model;

namespace Voting.AppHost.Kubernetes.SecretsStore;

/// <summary>
/// The Secrets the pods read come from the environment's Key Vault: each overlay has the service account federated
/// with the environment's workload identity and a SecretProviderClass that syncs every Secret a workload reads
/// (Kubernetes Secret name = Key Vault secret name, one key). The Secrets Store CSI driver (the AKS add-on) runs on
/// the node: it fetches with the service account's token while a pod mounts the class, so the pods need no network
/// path to Key Vault, and nobody creates a Secret by hand.
/// </summary>
internal static partial class KeyVaultMapping
{
    public const string ProviderClassName = "key-vault";
    private const string VolumeName = "key-vault";

    /// <summary>The secrets as files too: the driver requires the mount, and they are read-only and root-owned.</summary>
    private const string MountPath = "/mnt/key-vault";

    public static V1Volume Volume() => new()
    {
        Name = VolumeName,
        Csi = new V1CSIVolumeSource
        {
            Driver = "secrets-store.csi.k8s.io",
            ReadOnlyProperty = true,
            VolumeAttributes = new Dictionary<string, string> { ["secretProviderClass"] = ProviderClassName },
        },
    };

    public static V1VolumeMount VolumeMount() => new() { Name = VolumeName, MountPath = MountPath, ReadOnlyProperty = true };

    /// <summary>Where a pod reads Key Vault secret <paramref name="secretName"/> as a file; the driver refreshes it after a rotation.</summary>
    public static string SecretFile(string secretName) => $"{MountPath}/{secretName}";

    /// <summary>
    /// The environment's service account and SecretProviderClass, or nothing when no workload reads a Secret.
    /// Fails naming the setting when the environment's Azure ids are missing or malformed.
    /// </summary>
    public static IEnumerable<ManifestObject> EnvironmentObjects(
        DeploymentEnvironment environment, IReadOnlyList<Workload> workloads, ManifestGenerationOptions options)
    {
        var synced = workloads.SelectMany(w => w.Secrets)
            .Select(s => (s.SecretName, s.Key))
            .Distinct()
            .OrderBy(s => s.SecretName, StringComparer.Ordinal).ThenBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        if (synced.Count == 0)
        {
            return [];
        }

        var (tenantId, vault, clientId) = Settings(environment, options);
        var serviceAccount = Template.Object("SecretsStore/serviceaccount.yaml", new()
        {
            ["Name"] = options.WorkloadServiceAccountName,
            ["ClientId"] = clientId,
        });
        var providerClass = Template.Object("SecretsStore/secretproviderclass.yaml", new()
        {
            ["Name"] = ProviderClassName,
            ["ClientId"] = clientId,
            ["KeyVaultName"] = vault,
            ["TenantId"] = tenantId,
            ["Objects"] = synced.Select(s => s.SecretName).Distinct().Select(name => $"objectName: {name}\nobjectType: secret\n").ToList(),
            ["SecretObjects"] = synced.GroupBy(s => s.SecretName).Select(secret => new
            {
                SecretName = secret.Key,
                Type = "Opaque",
                Data = secret.Select(s => new { ObjectName = s.SecretName, s.Key }).ToList(),
            }).ToList(),
        });

        return [serviceAccount, providerClass];
    }

    /// <summary>The environment's Azure ids; fails naming the setting when one is missing or malformed.</summary>
    private static (string TenantId, string KeyVaultName, string ClientId) Settings(DeploymentEnvironment environment, ManifestGenerationOptions options)
    {
        var section = ManifestGenerationOptions.SectionName;
        var prefix = $"{section}:Environments:{environment.Name}";
        var azure = options.Environments.GetValueOrDefault(environment.Name);
        return (Valid($"{section}:Azure:TenantId", options.Azure.TenantId, IsGuid, "a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"),
            Valid($"{prefix}:KeyVaultName", azure?.KeyVaultName, VaultName().IsMatch, "a Key Vault name (3-24 letters, digits and hyphens, starting with a letter)"),
            Valid($"{prefix}:WorkloadClientId", azure?.WorkloadClientId, IsGuid, "a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"));
    }

    private static bool IsGuid(string text) => Guid.TryParseExact(text, "D", out _);

    private static string Valid(string setting, string? value, Func<string, bool> isValid, string what) => value?.Trim() switch
    {
        null or "" => throw new InvalidOperationException(
            $"{setting} is not set: infra/bootstrap.sh writes it into AppHost/appsettings.json from the Azure deployment's outputs."),
        var text when !isValid(text) => throw new InvalidOperationException($"{setting} '{text}' is not {what}."),
        var text => text,
    };

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")]
    private static partial Regex VaultName();
}
