using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.SecretsStore;

namespace Voting.AppHost.Kubernetes.Mapping;

internal static class PodTemplateMapping
{
    public const string StorageVolumeName = "data";
    private const string TempVolumeName = "tmp";

    public static V1PodTemplateSpec ToPodTemplate(this Workload workload) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Labels = Labels.Selector(workload.Name),
            Annotations = workload.Configuration.Count == 0
                ? null
                : new Dictionary<string, string> { ["checksum/config"] = workload.ConfigurationHash() },
        },
        Spec = new V1PodSpec
        {
            // The apps never call the Kubernetes API: no token to steal. The CSI driver gets the service account's
            // token for Key Vault itself (its CSIDriver's tokenRequests), not through the pod.
            AutomountServiceAccountToken = false,
            ServiceAccountName = workload.ServiceAccountName,
            // Service links would add REDIS_PORT=tcp://... and friends, clashing with the AppHost's REDIS_PORT.
            EnableServiceLinks = false,
            SecurityContext = PodSecurity.Pod(workload.Kubernetes.RunAsUser),
            TerminationGracePeriodSeconds = workload.Kubernetes.TerminationGracePeriodSeconds,
            Containers = [workload.ToContainer()],
            // The root filesystem is read-only; /tmp is the one scratch space .NET and Redis expect.
            Volumes =
            [
                new V1Volume { Name = TempVolumeName, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } },
                .. workload.ReadsKeyVault ? [KeyVaultMapping.Volume()] : Array.Empty<V1Volume>(),
            ],
        },
    };

    private static V1Container ToContainer(this Workload workload)
    {
        var mounts = new List<V1VolumeMount> { new() { Name = TempVolumeName, MountPath = "/tmp" } };
        if (workload.Kubernetes.Storage is { } storage)
        {
            mounts.Add(new V1VolumeMount { Name = StorageVolumeName, MountPath = storage.MountPath });
        }

        if (workload.ReadsKeyVault)
        {
            mounts.Add(KeyVaultMapping.VolumeMount());
        }

        var resources = workload.Kubernetes.Resources;
        return new V1Container
        {
            Name = workload.Name,
            Image = workload.Image,
            Command = workload.Command?.ToList(),
            Args = workload.Args?.ToList(),
            Ports = [.. workload.Ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = "TCP" })],
            EnvFrom = workload.Configuration.Count == 0
                ? null
                : [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = workload.ConfigMapName() } }],
            Env = workload.Environment(),
            Resources = new V1ResourceRequirements
            {
                Requests = Quantities(resources.CpuRequest, resources.MemoryRequest),
                Limits = Quantities(resources.CpuLimit, resources.MemoryLimit),
            },
            StartupProbe = Probes.Startup(workload),
            ReadinessProbe = Probes.Readiness(workload),
            LivenessProbe = Probes.Liveness(workload),
            SecurityContext = PodSecurity.Container(workload.Kubernetes.RunAsUser),
            // Kubernetes' own sleep action: the images have no shell to run `sleep` in.
            Lifecycle = new V1Lifecycle
            {
                PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = workload.Kubernetes.PreStopDelaySeconds } },
            },
            VolumeMounts = mounts,
        };
    }

    /// <summary>Secrets first: Kubernetes expands <c>$(VAR)</c> only from variables defined earlier in the list.</summary>
    private static List<V1EnvVar>? Environment(this Workload workload)
    {
        var secrets = workload.Secrets.Select(s => new V1EnvVar
        {
            Name = s.Name,
            ValueFrom = new V1EnvVarSource
            {
                SecretKeyRef = new V1SecretKeySelector { Name = s.SecretName, Key = s.Key, Optional = s.Optional ? true : null },
            },
        });
        var expansions = workload.SecretExpansions.Select(pair => new V1EnvVar { Name = pair.Key, Value = pair.Value });
        var all = secrets.Concat(expansions).ToList();
        return all.Count == 0 ? null : all;
    }

    private static Dictionary<string, ResourceQuantity> Quantities(string cpu, string memory) => new()
    {
        ["cpu"] = new ResourceQuantity(cpu),
        ["memory"] = new ResourceQuantity(memory),
    };
}
