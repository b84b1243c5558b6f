using System.Net;

namespace Voting.ServiceDefaults;

/// <summary>
/// Which proxies may tell the app the client's address and scheme (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>):
/// the gateway's data plane, and nothing else. Both empty (the default) means no proxy is trusted and the headers are
/// ignored, so no pod can forge a client address (the rate limits are per client address).
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Comma-separated CIDR networks, e.g. <c>10.244.0.0/16</c> (the pod network the gateway runs in).</summary>
    public string? KnownNetworks { get; set; }

    /// <summary>Comma-separated IP addresses of individual proxies.</summary>
    public string? KnownProxies { get; set; }

    public bool TrustsAnyProxy => Split(KnownNetworks).Length > 0 || Split(KnownProxies).Length > 0;

    /// <summary>Methods, not properties: the configuration binder would try to bind a property.</summary>
    public IEnumerable<IPNetwork> ParseNetworks() => Split(KnownNetworks).Select(value => IPNetwork.Parse(value));

    public IEnumerable<IPAddress> ParseProxies() => Split(KnownProxies).Select(IPAddress.Parse);

    /// <summary>The entries that do not parse, each with the setting it came from.</summary>
    public IEnumerable<string> Errors()
    {
        foreach (var value in Split(KnownNetworks).Where(value => !IPNetwork.TryParse(value, out _)))
        {
            yield return $"{SectionName}:{nameof(KnownNetworks)}: '{value}' is not a CIDR network such as 10.244.0.0/16.";
        }

        foreach (var value in Split(KnownProxies).Where(value => !IPAddress.TryParse(value, out _)))
        {
            yield return $"{SectionName}:{nameof(KnownProxies)}: '{value}' is not an IP address.";
        }
    }

    private static string[] Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
