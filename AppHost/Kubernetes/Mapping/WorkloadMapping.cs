using Voting.AppHost.Kubernetes.Model;

namespace Voting.AppHost.Kubernetes.Mapping;

internal static class WorkloadMapping
{
    /// <summary>
    /// No <c>replicas</c> here: overlays set them, or leave them to a HorizontalPodAutoscaler, which must own the field.
    /// </summary>
    public static V1Deployment ToDeployment(this Workload workload) => new V1Deployment
    {
        Metadata = Labels.Metadata(workload.Name, workload.Name),
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) },
            Template = workload.ToPodTemplate(),
        },
    }.Initialize();

    /// <summary>A StatefulSet keeps each pod's claim across restarts and reschedules.</summary>
    public static V1StatefulSet ToStatefulSet(this Workload workload) => new V1StatefulSet
    {
        Metadata = Labels.Metadata(workload.Name, workload.Name),
        Spec = new V1StatefulSetSpec
        {
            ServiceName = workload.HeadlessServiceName(),
            Replicas = workload.Replicas,
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) },
            Template = workload.ToPodTemplate(),
            VolumeClaimTemplates =
            [
                new V1PersistentVolumeClaim
                {
                    Metadata = new V1ObjectMeta { Name = PodTemplateMapping.StorageVolumeName, Labels = Labels.Selector(workload.Name) },
                    Spec = new V1PersistentVolumeClaimSpec
                    {
                        AccessModes = ["ReadWriteOnce"],
                        Resources = new V1VolumeResourceRequirements
                        {
                            Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(workload.Kubernetes.Storage!.Size) },
                        },
                    },
                },
            ],
        },
    }.Initialize();
}
