using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>
/// After base/'s default-deny and allow-dns (the templates beside this class), allow exactly the calls the app model
/// makes (its references) and the gateway's proxies. A reference added in the AppHost opens its path here; so does
/// exporting to Azure Monitor (HTTPS to public addresses); nothing else does. Key Vault needs no path: the CSI driver
/// fetches secrets from the node.
/// </summary>
internal static class NetworkPolicyMapping
{
    /// <summary>
    /// The traffic of one workload: in from its callers (and the gateway's proxy pods when exposed), out to what it
    /// calls. The description annotation says where each path comes from.
    /// </summary>
    public static V1NetworkPolicy ToNetworkPolicy(this Workload workload, IReadOnlyList<Workload> all)
    {
        var callers = all.Where(w => w.Connections.Any(c => c.Target == workload.Name))
            .Select(w => (From: w.Name, w.Connections.First(c => c.Target == workload.Name).Port))
            .ToList();

        var ingress = callers.Select(c => new V1NetworkPolicyIngressRule
        {
            FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(c.From) } }],
            Ports = [TcpPort(c.Port)],
        }).ToList();
        if (workload.Kubernetes.Gateway is { } exposed)
        {
            ingress.Insert(0, new V1NetworkPolicyIngressRule
            {
                FromProperty = [GatewayProxies(exposed)],
                Ports = [TcpPort(workload.PrimaryPort.Port)],
            });
        }

        var egress = workload.Connections.Select(c => new V1NetworkPolicyEgressRule
        {
            To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(c.Target) } }],
            Ports = [TcpPort(c.Port)],
        }).ToList();

        if (workload.Kubernetes.ExportsToAzureMonitor)
        {
            egress.Add(Template.Load<V1NetworkPolicyEgressRule>("Mapping/networkpolicy-azure-monitor-egress.yaml", []));
        }

        var paths = callers.Select(c => $"{c.From} -> {workload.Name}:{c.Port}")
            .Concat(workload.Connections.Select(c => $"{workload.Name} -> {c.Target}:{c.Port}"));
        var description = $"Calls the AppHost makes with WithReference: {string.Join(", ", paths)}."
            + (workload.Kubernetes.Gateway is { } g
                ? $" In from the proxies of Gateway {g.GatewayNamespace}/{g.GatewayName} ({g.GatewayClassName}{(g.ProxyNetwork is { } network ? $", from {network}" : "")})."
                : "")
            + (workload.Kubernetes.ExportsToAzureMonitor
                ? $" Out to Azure Monitor: HTTPS to public addresses ({AzureMonitorExport.Variable})."
                : "");

        return new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"allow-{workload.Name}",
                Labels = Labels.Selector(workload.Name),
                Annotations = new Dictionary<string, string> { ["description"] = description },
            },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(workload.Name) },
                PolicyTypes = [.. (ingress.Count > 0 ? ["Ingress"] : Array.Empty<string>()), .. (egress.Count > 0 ? ["Egress"] : Array.Empty<string>())],
                Ingress = ingress.Count > 0 ? ingress : null,
                Egress = egress.Count > 0 ? egress : null,
            },
        }.Initialize();
    }

    /// <summary>
    /// In-cluster proxies (the Gateway API implementations label them with their Gateway's name): namespace and pod selector in one peer, so both must match and only that Gateway's pods get
    /// in, not any other pod of its namespace. Proxies outside the cluster: the subnet they connect from.
    /// </summary>
    private static V1NetworkPolicyPeer GatewayProxies(ExternalGateway gateway) => gateway.ProxyNetwork is null
        ? new V1NetworkPolicyPeer
        {
            NamespaceSelector = NamespaceNamed(gateway.GatewayNamespace),
            PodSelector = new V1LabelSelector
            {
                MatchLabels = new Dictionary<string, string> { ["gateway.networking.k8s.io/gateway-name"] = gateway.GatewayName },
            },
        }
        : new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = gateway.ProxyNetwork } };

    private static V1NetworkPolicyPort TcpPort(int port) => new() { Protocol = "TCP", Port = port };

    public static V1LabelSelector NamespaceNamed(string name) =>
        new() { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name } };
}
