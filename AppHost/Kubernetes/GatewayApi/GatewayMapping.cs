using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.GatewayApi;

/// <summary>
/// The Gateway API objects, from the templates beside this class: an HTTPRoute per exposed workload, and (when the
/// app owns it) the Gateway they attach to, its namespace and the route that redirects HTTP to HTTPS.
/// </summary>
internal static class GatewayMapping
{
    public static ManifestObject ToHttpRoute(this Workload workload, ExternalGateway gateway) => Template.Object("GatewayApi/httproute.yaml", new()
    {
        ["Name"] = workload.Name,
        ["Port"] = workload.PrimaryPort.Port,
        ["Host"] = gateway.Host,
        ["GatewayNamespace"] = gateway.GatewayNamespace,
        ["GatewayName"] = gateway.GatewayName,
    });

    /// <summary>The environment's host name for an exposed workload, e.g. <c>dev.voting.example.com</c>.</summary>
    public static string Host(this ExternalGateway gateway, DeploymentEnvironment environment) => environment.HostPrefix + gateway.Host;

    public static IEnumerable<ManifestObject> GatewayObjects(
        ExternalGateway gateway, IReadOnlyList<Workload> exposed, IReadOnlyList<DeploymentEnvironment> environments)
    {
        var annotations = new SortedDictionary<string, string>(gateway.GatewayAnnotations.ToDictionary(), StringComparer.Ordinal);
        if (gateway.ClusterIssuer is { } issuer)
        {
            annotations["cert-manager.io/cluster-issuer"] = issuer;
        }

        var listeners = from environment in environments
                        from workload in exposed
                        select Template.Render("GatewayApi/gateway-https-listener.yaml", new()
                        {
                            ["Workload"] = workload.Name,
                            ["Environment"] = environment.Name,
                            ["Namespace"] = environment.Namespace,
                            ["Host"] = gateway.Host(environment),
                        });
        var values = new Dictionary<string, object?>
        {
            ["GatewayNamespace"] = gateway.GatewayNamespace,
            ["GatewayName"] = gateway.GatewayName,
            ["GatewayClassName"] = gateway.GatewayClassName,
            ["Annotations"] = annotations,
            ["HttpsListeners"] = string.Concat(listeners),
        };
        string[] templates = ["namespace.yaml", "gateway.yaml", "httproute-https-redirect.yaml"];
        return templates.Select(template => Template.Object($"GatewayApi/{template}", values));
    }
}
