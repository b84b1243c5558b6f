using System.Text.RegularExpressions;

namespace Voting.AppHost.Kubernetes.Model;

/// <summary>
/// Turns one resource's raw model values (environment and arguments) into their cluster form, switching on the
/// value's type rather than its placeholder text. It records the secrets and other workloads the values use.
/// </summary>
internal sealed partial class ValueRenderer(IResource owner)
{
    private const string SecretKey = "value";

    /// <summary>Secret parameters used so far, by the environment variable that carries them.</summary>
    public SortedDictionary<string, SecretVariable> Secrets { get; } = new(StringComparer.Ordinal);

    public HashSet<Connection> Connections { get; } = [];

    private bool _usedSecret;

    /// <summary>Renders <paramref name="value"/> and says whether its text embeds a secret.</summary>
    public (string? Text, bool UsesSecret) RenderVariable(object? value)
    {
        _usedSecret = false;
        var text = Render(value);
        return (text, _usedSecret);
    }

    /// <summary>The value in the cluster, or null when it names something not deployed (an HTTPS endpoint).</summary>
    public string? Render(object? value) => value switch
    {
        null => "",
        string text => text,
        ParameterResource parameter => SecretReference(parameter),
        ConnectionStringReference reference => Render(reference.Resource.ConnectionStringExpression),
        IResourceWithConnectionString resource => Render(resource.ConnectionStringExpression),
        EndpointReference endpoint => Endpoint(endpoint, EndpointProperty.Url),
        EndpointReferenceExpression expression => Endpoint(expression.Endpoint, expression.Property),
        ReferenceExpression { IsConditional: true } conditional => Render(
            string.Equals(Render(conditional.Condition), conditional.MatchValue, StringComparison.OrdinalIgnoreCase)
                ? conditional.WhenTrue
                : conditional.WhenFalse),
        ReferenceExpression expression => Format(expression),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException(
            $"'{owner.Name}' uses a {value.GetType().Name}, which the Kubernetes manifests cannot express yet."),
    };

    private string? Format(ReferenceExpression expression)
    {
        var parts = expression.ValueProviders.Select(Render).ToArray();
        return parts.Any(part => part is null)
            ? null
            : string.Format(CultureInfo.InvariantCulture, expression.Format, parts);
    }

    /// <summary>Parameters are deployment inputs: each lives in a Secret named after it, created outside git.</summary>
    private string SecretReference(ParameterResource parameter)
    {
        var variable = EnvironmentVariableName().Replace(parameter.Name, "_").ToUpperInvariant();
        Secrets[variable] = new SecretVariable(variable, parameter.Name, SecretKey);
        _usedSecret = true;
        return $"$({variable})";
    }

    private string? Endpoint(EndpointReference endpoint, EndpointProperty property)
    {
        var port = ClusterPorts.Of(endpoint.Resource).FirstOrDefault(p => p.Name == endpoint.EndpointName);
        if (port is null)
        {
            return null;
        }

        if (endpoint.Resource != owner)
        {
            Connections.Add(new Connection(endpoint.Resource.Name, port.Port));
        }

        // Each workload's Service carries its resource name, so that is its host name inside the namespace.
        var host = endpoint.Resource.Name;
        var scheme = endpoint.EndpointAnnotation.UriScheme;
        var portText = port.Port.ToString(CultureInfo.InvariantCulture);
        return property switch
        {
            EndpointProperty.Host or EndpointProperty.IPV4Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => portText,
            EndpointProperty.HostAndPort => $"{host}:{portText}",
            EndpointProperty.Scheme => scheme,
            EndpointProperty.Url => $"{scheme}://{host}:{portText}",
            EndpointProperty.TlsEnabled => bool.FalseString,
            _ => throw new NotSupportedException($"Endpoint property {property} is not supported."),
        };
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex EnvironmentVariableName();
}
