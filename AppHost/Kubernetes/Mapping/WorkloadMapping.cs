using Voting.AppHost.Kubernetes.Model;

namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>A workload's Deployment, or StatefulSet when it has storage: the templates beside this class, with its pod.</summary>
internal static class WorkloadMapping
{
    public static V1Deployment ToDeployment(this Workload workload)
    {
        var deployment = Template.Load<V1Deployment>("Mapping/deployment.yaml", new() { ["Name"] = workload.Name });
        deployment.Spec.Template = workload.ToPodTemplate();
        return deployment;
    }

    public static V1StatefulSet ToStatefulSet(this Workload workload)
    {
        var statefulSet = Template.Load<V1StatefulSet>("Mapping/statefulset.yaml", new()
        {
            ["Name"] = workload.Name,
            ["Replicas"] = workload.Replicas,
            ["HeadlessService"] = workload.HeadlessServiceName(),
            ["ClaimName"] = PodTemplateMapping.StorageVolumeName,
            ["StorageSize"] = workload.Kubernetes.Storage!.Size,
        });
        statefulSet.Spec.Template = workload.ToPodTemplate();
        return statefulSet;
    }
}
