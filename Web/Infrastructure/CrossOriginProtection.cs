using Microsoft.Extensions.Primitives;

namespace Voting.Web.Infrastructure;

/// <summary>
/// Decides whether a request may change anything: a form posted from another site is a cross-site request forgery.
/// Browsers say where a request comes from in headers a page's script cannot set (<c>Sec-Fetch-Site</c>, and
/// <c>Origin</c> in older ones), so no per-page token is needed. This is the algorithm ASP.NET Core 11 turns on by
/// default, and Go's <c>http.CrossOriginProtection</c>.
/// </summary>
public static class CrossOriginProtection
{
    /// <summary>
    /// True when <paramref name="request"/> may proceed: a safe method (it changes nothing), a request the page made to
    /// its own origin or the user made by hand, or a client that is not a browser (neither header: curl, the smoke
    /// test, a health probe), which no other site can make a visitor's browser send.
    /// </summary>
    public static bool Allows(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SafeHttpMethods.Includes(request.Method))
        {
            return true;
        }

        // Every current browser sends it: "same-origin" from the page itself, "none" from the address bar or a bookmark.
        // "same-site" is refused too: a sibling host (another app on the same domain) is not this app.
        if (request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site)
        {
            return site == "same-origin" || site == "none";
        }

        // Browsers from before Fetch Metadata still send Origin on a POST. Only its host is compared: a TLS-terminating
        // proxy may show this app a different scheme than the browser used.
        return request.Headers.Origin is not { Count: > 0 } origin || IsSameHost(origin, request.Host);
    }

    private static bool IsSameHost(StringValues origin, HostString host) =>
        Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var uri) &&
        string.Equals(uri.Authority, host.Value, StringComparison.OrdinalIgnoreCase);
}
