using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.SecretsStore;

namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>A workload's pod: pod.yaml, which every pod gets, with what the app model says about this workload.</summary>
internal static class PodTemplateMapping
{
    public const string StorageVolumeName = "data";

    public static V1PodTemplateSpec ToPodTemplate(this Workload workload)
    {
        var settings = workload.Kubernetes;
        var pod = Template.Load<V1PodTemplateSpec>("Mapping/pod.yaml", new()
        {
            ["Name"] = workload.Name,
            ["RunAsUser"] = settings.RunAsUser,
            ["TerminationGracePeriodSeconds"] = settings.TerminationGracePeriodSeconds,
            ["PreStopDelaySeconds"] = settings.PreStopDelaySeconds,
        });
        if (workload.Configuration.Count > 0)
        {
            // Pods read a ConfigMap only at start: a change of settings must change the template to roll them.
            pod.Metadata.Annotations = new Dictionary<string, string> { ["checksum/config"] = workload.ConfigurationHash() };
        }

        pod.Spec.ServiceAccountName = workload.ServiceAccountName;
        var container = pod.Spec.Containers.Single();
        container.Image = workload.Image;
        container.Command = workload.Command?.ToList();
        container.Args = workload.Args?.ToList();
        container.Ports = [.. workload.Ports.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = "TCP" })];
        container.EnvFrom = workload.Configuration.Count == 0
            ? null
            : [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = workload.ConfigMapName() } }];
        container.Env = workload.Environment();
        container.Resources = new V1ResourceRequirements
        {
            Requests = Quantities(settings.Resources.CpuRequest, settings.Resources.MemoryRequest),
            Limits = Quantities(settings.Resources.CpuLimit, settings.Resources.MemoryLimit),
        };

        // HTTP paths where the workload has them, else a TCP connect; readiness may be a command (a port can open
        // before the workload can serve).
        Check(container.StartupProbe, workload, workload.HttpProbes?.LivenessPath);
        Check(container.LivenessProbe, workload, workload.HttpProbes?.LivenessPath);
        if (settings.ReadinessCommand is { } command)
        {
            container.ReadinessProbe.Exec = new V1ExecAction { Command = [.. command] };
        }
        else
        {
            Check(container.ReadinessProbe, workload, workload.HttpProbes?.ReadinessPath);
        }

        if (settings.Storage is { } storage)
        {
            container.VolumeMounts.Add(new V1VolumeMount { Name = StorageVolumeName, MountPath = storage.MountPath });
        }

        if (workload.ReadsKeyVault)
        {
            container.VolumeMounts.Add(KeyVaultMapping.VolumeMount());
            pod.Spec.Volumes.Add(KeyVaultMapping.Volume());
        }

        return pod;
    }

    private static void Check(V1Probe probe, Workload workload, string? path)
    {
        var port = workload.PrimaryPort.Name;
        probe.HttpGet = path is null ? null : new V1HTTPGetAction { Path = path, Port = port };
        probe.TcpSocket = path is null ? new V1TCPSocketAction { Port = port } : null;
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
        var values = workload.ContainerVariables.Select(pair => new V1EnvVar { Name = pair.Key, Value = pair.Value });
        var all = secrets.Concat(values).ToList();
        return all.Count == 0 ? null : all;
    }

    private static Dictionary<string, ResourceQuantity> Quantities(string cpu, string memory) => new()
    {
        ["cpu"] = new ResourceQuantity(cpu),
        ["memory"] = new ResourceQuantity(memory),
    };
}
