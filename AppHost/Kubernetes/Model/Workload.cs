using Voting.AppHost.Kubernetes.Kustomize;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Model;

/// <summary>
/// A project or container of the app model, resolved into what its Kubernetes objects need: every value is final
/// (Service DNS names, cluster ports, <c>$(VAR)</c> secret references), and sorted so output is stable.
/// </summary>
internal sealed class Workload
{
    public required string Name { get; init; }

    /// <summary>
    /// The image the base names: <c>voting/api</c> with a placeholder tag for projects (CD sets the image it built), the
    /// model's tag or digest for containers (never an implicit <c>latest</c>, even if the base is applied alone).
    /// </summary>
    public required string Image { get; init; }

    /// <summary>
    /// A container's entry in the overlays' <c>images:</c>: where nodes pull it from. Null for projects: CD renders each
    /// environment with the images it built, which an entry here would rename first.
    /// </summary>
    public required KustomizeImage? OverlayImage { get; init; }

    public required bool IsProject { get; init; }

    public required IReadOnlyList<WorkloadPort> Ports { get; init; }

    /// <summary>Non-secret environment variables: they go into the workload's ConfigMap.</summary>
    public required IReadOnlyDictionary<string, string> Configuration { get; init; }

    /// <summary>Environment variables read from Secrets; they come first, so later values can expand them.</summary>
    public required IReadOnlyList<SecretVariable> Secrets { get; init; }

    /// <summary>
    /// The service account the pods run as when they read Secrets: those Secrets are synced from Key Vault by the CSI
    /// driver with this account's workload identity. Null: the namespace's default account, which has no access.
    /// </summary>
    public required string? ServiceAccountName { get; init; }

    /// <summary>Its pods mount the environment's Key Vault (the CSI driver syncs their Secrets only while mounted).</summary>
    public bool ReadsKeyVault => ServiceAccountName is not null;

    /// <summary>
    /// Variables of the container spec, after the secrets: values that embed a secret as <c>$(VAR)</c> (Kubernetes
    /// expands them) and the paths of secret files in the Key Vault mount (<see cref="KubernetesWorkloadSettings.SecretFiles"/>).
    /// </summary>
    public required IReadOnlyDictionary<string, string> ContainerVariables { get; init; }

    public required IReadOnlyList<string>? Command { get; init; }

    public required IReadOnlyList<string>? Args { get; init; }

    /// <summary>The workloads this one calls: the only egress its NetworkPolicy allows.</summary>
    public required IReadOnlyList<Connection> Connections { get; init; }

    public required int Replicas { get; init; }

    public required KubernetesWorkloadSettings Kubernetes { get; init; }

    public WorkloadPort PrimaryPort => Ports[0];

    /// <summary>The kind of its pods' owner: storage needs a StatefulSet (a claim per pod).</summary>
    public string WorkloadKind => Kubernetes.Storage is null ? "Deployment" : "StatefulSet";

    /// <summary>Projects are checked on the service defaults' paths, containers with a TCP connect.</summary>
    public HttpProbes? HttpProbes => IsProject ? HttpProbes.ServiceDefaults : null;
}
