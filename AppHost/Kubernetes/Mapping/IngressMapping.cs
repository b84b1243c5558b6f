using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Mapping;

internal static class IngressMapping
{
    public static V1Ingress ToIngress(this Workload workload, ExternalIngress ingress) => new V1Ingress
    {
        Metadata = Labels.Metadata(workload.Name, workload.Name),
        Spec = new V1IngressSpec
        {
            IngressClassName = ingress.ClassName,
            Rules =
            [
                new V1IngressRule
                {
                    Host = ingress.Host,
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            new V1HTTPIngressPath
                            {
                                Path = "/",
                                PathType = "Prefix",
                                Backend = new V1IngressBackend
                                {
                                    Service = new V1IngressServiceBackend
                                    {
                                        Name = workload.Name,
                                        Port = new V1ServiceBackendPort { Name = workload.PrimaryPort.Name },
                                    },
                                },
                            },
                        ],
                    },
                },
            ],
        },
    }.Initialize();
}
