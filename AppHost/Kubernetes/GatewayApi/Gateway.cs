namespace Voting.AppHost.Kubernetes.GatewayApi;

/// <summary>A Gateway API Gateway (gateway.networking.k8s.io/v1): the fields these manifests use.</summary>
[KubernetesEntity(Group = "gateway.networking.k8s.io", ApiVersion = "v1", Kind = "Gateway", PluralName = "gateways")]
public sealed class Gateway : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public GatewaySpec Spec { get; set; } = new();
}

public sealed class GatewaySpec
{
    public string? GatewayClassName { get; set; }

    public List<Listener>? Listeners { get; set; }
}

public sealed class Listener
{
    public string? Name { get; set; }

    public string? Hostname { get; set; }

    public int Port { get; set; }

    public string? Protocol { get; set; }

    public GatewayTlsConfig? Tls { get; set; }

    public AllowedRoutes? AllowedRoutes { get; set; }
}

public sealed class GatewayTlsConfig
{
    public string? Mode { get; set; }

    public List<SecretObjectReference>? CertificateRefs { get; set; }
}

public sealed class SecretObjectReference
{
    public string? Kind { get; set; }

    public string? Name { get; set; }
}

public sealed class AllowedRoutes
{
    public RouteNamespaces? Namespaces { get; set; }
}

/// <summary><c>Same</c> (the Gateway's namespace), <c>All</c>, or <c>Selector</c> with <see cref="Selector"/>.</summary>
public sealed class RouteNamespaces
{
    public string? From { get; set; }

    public V1LabelSelector? Selector { get; set; }
}
