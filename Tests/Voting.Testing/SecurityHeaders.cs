namespace Voting.Testing;

/// <summary>The headers every answer of the Api and the Web must carry, checked the same way for both.</summary>
public static class SecurityHeaders
{
    /// <summary>A header's value, from the response or its content; several values joined as HTTP joins them.</summary>
    public static string? Header(HttpResponseMessage response, string name)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
    }

    /// <summary>
    /// The policy <paramref name="contentSecurityPolicy"/>, nosniff, no referrer, no <c>Server</c> header, and, over
    /// plain HTTP with no trusted proxy, no HSTS (browsers ignore it over HTTP anyway).
    /// </summary>
    public static void AssertOnPlainHttp(HttpResponseMessage response, string contentSecurityPolicy)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(contentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Empty(response.Headers.Server);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}
