using Voting.AppHost.Kubernetes.GatewayApi;
using Voting.AppHost.Kubernetes.Model;
using Voting.AppHost.Kubernetes.Settings;

namespace Voting.AppHost.Kubernetes.Mapping;

/// <summary>
/// The Gateway API objects: the app's HTTPRoutes, and (when the app owns it) the Gateway they attach to, with an
/// HTTPS listener per environment and host and an HTTP listener that only redirects to HTTPS.
/// </summary>
internal static class GatewayMapping
{
    public const string Group = "gateway.networking.k8s.io";

    /// <summary>The label the Gateway API implementations (Istio among them) put on a Gateway's proxy pods.</summary>
    public const string GatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

    public const string HttpListener = "http";

    /// <summary>Routes the workload's host to its Service. Overlays replace the host with the environment's.</summary>
    public static HttpRoute ToHttpRoute(this Workload workload, ExternalGateway gateway) => new HttpRoute
    {
        Metadata = Labels.Metadata(workload.Name, workload.Name),
        Spec = new HttpRouteSpec
        {
            // No sectionName: the route binds to the listener whose hostname matches (the HTTP listener takes no routes
            // from the app's namespaces, so plain HTTP never reaches the app).
            ParentRefs = [new ParentReference { Group = Group, Kind = "Gateway", Namespace = gateway.GatewayNamespace, Name = gateway.GatewayName }],
            Hostnames = [gateway.Host],
            Rules =
            [
                new HttpRouteRule
                {
                    Matches = [new HttpRouteMatch { Path = new HttpPathMatch { Type = "PathPrefix", Value = "/" } }],
                    BackendRefs = [new HttpBackendRef { Name = workload.Name, Port = workload.PrimaryPort.Port }],
                },
            ],
        },
    }.Initialize();

    /// <summary>The environment's host name for an exposed workload, e.g. <c>dev.voting.example.com</c>.</summary>
    public static string Host(this ExternalGateway gateway, DeploymentEnvironment environment) => environment.HostPrefix + gateway.Host;

    /// <summary>The Secret holding the certificate of a workload's host in an environment (in the Gateway's namespace).</summary>
    public static string CertificateSecret(Workload workload, DeploymentEnvironment environment) => $"{environment.Namespace}-{workload.Name}-tls";

    private static Dictionary<string, string>? Annotations(ExternalGateway gateway)
    {
        var annotations = new Dictionary<string, string>(gateway.GatewayAnnotations);
        if (gateway.ClusterIssuer is { } issuer)
        {
            // cert-manager issues and renews a certificate into each HTTPS listener's Secret, for its hostname.
            annotations["cert-manager.io/cluster-issuer"] = issuer;
        }

        return annotations.Count > 0 ? new(annotations.OrderBy(a => a.Key, StringComparer.Ordinal)) : null;
    }

    /// <summary>
    /// The objects of one app-owned Gateway: its namespace, the Gateway, and the route that redirects HTTP to HTTPS.
    /// Each HTTPS listener accepts routes only from its own environment's namespace, so no environment can take
    /// another's host.
    /// </summary>
    public static IEnumerable<IKubernetesObject> GatewayObjects(
        ExternalGateway gateway, IReadOnlyList<Workload> exposed, IReadOnlyList<DeploymentEnvironment> environments)
    {
        var listeners = new List<Listener>
        {
            new()
            {
                Name = HttpListener,
                Port = 80,
                Protocol = "HTTP",
                AllowedRoutes = new AllowedRoutes { Namespaces = new RouteNamespaces { From = "Same" } },
            },
        };
        listeners.AddRange(
            from environment in environments
            from workload in exposed
            select new Listener
            {
                Name = $"https-{workload.Name}-{environment.Name}",
                Hostname = gateway.Host(environment),
                Port = 443,
                Protocol = "HTTPS",
                Tls = new GatewayTlsConfig
                {
                    Mode = "Terminate",
                    CertificateRefs = [new SecretObjectReference { Kind = "Secret", Name = CertificateSecret(workload, environment) }],
                },
                AllowedRoutes = new AllowedRoutes
                {
                    Namespaces = new RouteNamespaces { From = "Selector", Selector = NetworkPolicyMapping.NamespaceNamed(environment.Namespace) },
                },
            });

        // The implementation runs the gateway's proxies here. Baseline, not restricted: they are its pods, not ours,
        // and an unprivileged proxy still needs to bind ports 80 and 443 (a safe sysctl that baseline allows).
        yield return new V1Namespace
        {
            Metadata = new V1ObjectMeta
            {
                Name = gateway.GatewayNamespace,
                Labels = new Dictionary<string, string>
                {
                    [GuardrailMapping.PodSecurityLabel + "enforce"] = "baseline",
                    [GuardrailMapping.PodSecurityLabel + "warn"] = "restricted",
                },
            },
        }.Initialize();

        yield return new Gateway
        {
            Metadata = new V1ObjectMeta
            {
                Name = gateway.GatewayName,
                NamespaceProperty = gateway.GatewayNamespace,
                Annotations = Annotations(gateway),
            },
            Spec = new GatewaySpec { GatewayClassName = gateway.GatewayClassName, Listeners = listeners },
        }.Initialize();

        yield return new HttpRoute
        {
            Metadata = new V1ObjectMeta { Name = $"{gateway.GatewayName}-https-redirect", NamespaceProperty = gateway.GatewayNamespace },
            Spec = new HttpRouteSpec
            {
                ParentRefs = [new ParentReference { Group = Group, Kind = "Gateway", Name = gateway.GatewayName, SectionName = HttpListener }],
                Rules =
                [
                    new HttpRouteRule
                    {
                        Filters = [new HttpRouteFilter { Type = "RequestRedirect", RequestRedirect = new HttpRequestRedirectFilter { Scheme = "https", StatusCode = 301 } }],
                    },
                ],
            },
        }.Initialize();
    }
}
