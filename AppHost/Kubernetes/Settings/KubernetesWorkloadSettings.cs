namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>
/// What a resource needs in Kubernetes that the Aspire model does not say: sizes, probes, exposure, scaling, storage.
/// Replicas are not here: Aspire's own <c>WithReplicas</c> (<see cref="ReplicaAnnotation"/>) is read instead.
/// </summary>
public sealed class KubernetesWorkloadSettings
{
    /// <summary>CPU and memory requests and limits of the workload's container.</summary>
    public ComputeResources Resources { get; set; } = ComputeResources.Small;

    /// <summary>Set to expose the workload outside the cluster through a Gateway API HTTPRoute.</summary>
    public ExternalGateway? Gateway { get; set; }

    /// <summary>
    /// Replaces the readiness probe (HTTP for projects, a TCP connect for containers) with a command run in the
    /// container (exit 0: ready), for workloads whose port opens before they can serve. Kubernetes does not expand
    /// <c>$(VAR)</c> here: read variables through a shell.
    /// </summary>
    public IReadOnlyList<string>? ReadinessCommand { get; set; }

    /// <summary>
    /// Variables set to the path of the file that holds a secret (the Key Vault mount, which the CSI driver refreshes
    /// after a rotation, unlike a variable), by variable name, each naming the workload's secret variable:
    /// <c>SecretFiles["RedisPassword__File"] = "REDIS_PASSWORD"</c>.
    /// </summary>
    public SortedDictionary<string, string> SecretFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Set to scale the workload with CPU in production (a HorizontalPodAutoscaler and a PodDisruptionBudget).</summary>
    public Autoscaling? ProductionAutoscaling { get; set; }

    /// <summary>
    /// Set for workloads whose telemetry goes to Azure Monitor: they read <see cref="AzureMonitorExport.Variable"/> from
    /// the environment's Key Vault, and may open HTTPS connections to public addresses.
    /// </summary>
    public bool ExportsToAzureMonitor { get; set; }

    /// <summary>Set to run the workload as a StatefulSet with a PersistentVolumeClaim per pod.</summary>
    public PersistentStorage? Storage { get; set; }

    /// <summary>
    /// The container arguments in the cluster, replacing the model's entrypoint and arguments but keeping the image's
    /// own entrypoint (which, for the official Redis image, adds <c>redis-server</c> and drops root). <c>$(VAR)</c> names
    /// a variable of the container, which Kubernetes expands.
    /// </summary>
    public IReadOnlyList<string>? Args { get; set; }

    /// <summary>
    /// Settings that differ by environment, by environment name (<c>prod</c>) then variable name: the overlay sets
    /// them over the base's ConfigMap (and rolls the pods). See <see cref="Configure"/>.
    /// </summary>
    public SortedDictionary<string, SortedDictionary<string, string>> ConfigurationByEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>Sets environment variable <paramref name="name"/> to <paramref name="value"/> in <paramref name="environment"/> only.</summary>
    public KubernetesWorkloadSettings Configure(string environment, string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!ConfigurationByEnvironment.TryGetValue(environment, out var settings))
        {
            ConfigurationByEnvironment[environment] = settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        }

        settings[name] = value;
        return this;
    }

    /// <summary>
    /// Seconds a terminating pod keeps serving before it gets SIGTERM (a preStop sleep): Kubernetes removes it from
    /// the Service's endpoints at the same time, and this delay lets every proxy catch up, so no new request reaches
    /// a stopping process.
    /// </summary>
    public int PreStopDelaySeconds { get; set; } = 5;

    /// <summary>
    /// Seconds from the start of termination to SIGKILL: the preStop delay, then the app's own shutdown, which lets
    /// accepted requests finish (measured well under 10 s by the graceful-shutdown test).
    /// </summary>
    public int TerminationGracePeriodSeconds { get; set; } = 30;

    /// <summary>The non-root user the container runs as (1654 is the <c>app</c> user of the .NET images).</summary>
    public long RunAsUser { get; set; } = 1654;
}
