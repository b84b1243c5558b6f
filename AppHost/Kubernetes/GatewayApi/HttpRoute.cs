namespace Voting.AppHost.Kubernetes.GatewayApi;

/// <summary>A Gateway API HTTPRoute (gateway.networking.k8s.io/v1): the fields these manifests use.</summary>
[KubernetesEntity(Group = "gateway.networking.k8s.io", ApiVersion = "v1", Kind = "HTTPRoute", PluralName = "httproutes")]
public sealed class HttpRoute : IKubernetesObject<V1ObjectMeta>
{
    // Declared here, not inherited from KubernetesObject, so they are written first as in every other manifest.
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public HttpRouteSpec Spec { get; set; } = new();
}

public sealed class HttpRouteSpec
{
    public List<ParentReference>? ParentRefs { get; set; }

    public List<string>? Hostnames { get; set; }

    public List<HttpRouteRule>? Rules { get; set; }
}

/// <summary>The Gateway (and optionally its listener, <see cref="SectionName"/>) a route attaches to.</summary>
public sealed class ParentReference
{
    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? SectionName { get; set; }
}

public sealed class HttpRouteRule
{
    public List<HttpRouteMatch>? Matches { get; set; }

    public List<HttpRouteFilter>? Filters { get; set; }

    public List<HttpBackendRef>? BackendRefs { get; set; }
}

public sealed class HttpRouteMatch
{
    public HttpPathMatch? Path { get; set; }
}

public sealed class HttpPathMatch
{
    public string? Type { get; set; }

    public string? Value { get; set; }
}

public sealed class HttpRouteFilter
{
    public string? Type { get; set; }

    public HttpRequestRedirectFilter? RequestRedirect { get; set; }
}

public sealed class HttpRequestRedirectFilter
{
    public string? Scheme { get; set; }

    public int? StatusCode { get; set; }
}

/// <summary>A Service and its port number (the Gateway API takes numbers, not port names).</summary>
public sealed class HttpBackendRef
{
    public string? Name { get; set; }

    public int? Port { get; set; }
}
