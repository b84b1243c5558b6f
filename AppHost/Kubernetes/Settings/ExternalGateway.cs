namespace Voting.AppHost.Kubernetes.Settings;

/// <summary>
/// Exposes the workload outside the cluster through the Gateway API: an HTTPRoute for <see cref="Host"/> (non-production
/// environments prefix it, e.g. <c>dev.</c>) attached to Gateway <see cref="GatewayName"/> in
/// <see cref="GatewayNamespace"/>. The defaults fit AKS's application routing Gateway API implementation.
/// </summary>
public sealed record ExternalGateway(string Host)
{
    /// <summary>
    /// The GatewayClass of the Gateway: <c>approuting-istio</c> is AKS's application routing add-on (meshless Istio);
    /// Application Gateway for Containers is <c>azure-alb-external</c>.
    /// </summary>
    public string GatewayClassName { get; init; } = "approuting-istio";

    /// <summary>
    /// Where the Gateway lives. Not an environment's namespace: the implementation runs the gateway's proxies and
    /// LoadBalancer Service in the Gateway's namespace, and those pods must not count against the app's quota or
    /// fall under its default-deny policies. One Gateway serves every environment of the cluster.
    /// </summary>
    public string GatewayNamespace { get; init; } = "voting-gateway";

    public string GatewayName { get; init; } = "voting";

    /// <summary>
    /// True: the app renders the Gateway (gitops-manifests/platform/, applied once by a cluster admin). False: the
    /// platform team already runs <see cref="GatewayName"/>, and the app renders only its routes.
    /// </summary>
    public bool AppOwnsGateway { get; init; } = true;

    /// <summary>
    /// The cert-manager ClusterIssuer named on the Gateway: cert-manager then issues and renews each HTTPS listener's
    /// certificate Secret. Null when the Secrets come from elsewhere (Key Vault, see docs/deploy.md).
    /// </summary>
    public string? ClusterIssuer { get; init; } = "letsencrypt";

    /// <summary>
    /// Null when the gateway's proxies are pods of this cluster (application routing's Istio): the NetworkPolicy admits
    /// exactly those pods, and the workload trusts forwarded headers from the pod network
    /// (<see cref="ManifestGenerationOptions.PodCidr"/>). When they run outside it (Application Gateway for Containers),
    /// the subnet they connect from, in CIDR notation: the NetworkPolicy admits it and the workload trusts it instead.
    /// </summary>
    public string? ProxyNetwork { get; init; }

    /// <summary>
    /// More annotations for the Gateway, e.g. Application Gateway for Containers'
    /// <c>alb.networking.azure.io/alb-namespace</c> and <c>alb-name</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> GatewayAnnotations { get; init; } = new Dictionary<string, string>();
}
