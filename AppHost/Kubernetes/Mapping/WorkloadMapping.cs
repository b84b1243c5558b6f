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

    public static V1StatefulSet ToStatefulSet(this Workload workload, string appName)
    {
        var statefulSet = Template.Load<V1StatefulSet>("Mapping/statefulset.yaml", new()
        {
            ["Name"] = workload.Name,
            ["Replicas"] = workload.Replicas,
            ["HeadlessService"] = workload.HeadlessServiceName(),
            ["ClaimName"] = PodTemplateMapping.StorageVolumeName,
            ["StorageSize"] = workload.Kubernetes.Storage!.Size,
            ["StorageClassName"] = StorageClassName(appName),
            ["NeverDeleted"] = Labels.NeverDeleted(),
        });
        statefulSet.Spec.Template = workload.ToPodTemplate();
        return statefulSet;
    }

    /// <summary>The zone-redundant class every claim names (storageclass.yaml), one of the platform objects.</summary>
    public static ManifestObject StorageClass(string appName) => Template.Object("Mapping/storageclass.yaml", new() { ["Name"] = StorageClassName(appName) });

    private static string StorageClassName(string appName) => $"{appName}-premium-zrs";
}
