namespace Voting.ServiceDefaults;

/// <summary>The Content-Security-Policy each service sends.</summary>
public static class ContentSecurityPolicies
{
    /// <summary>
    /// The page loads only its own style sheet: no script, no image, no frame, no plugin, and forms post back to the
    /// app. Nothing else is needed, so an injected tag can load or send nothing.
    /// </summary>
    public const string Page =
        "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>JSON answers need no policy beyond "nothing": a browser that opens one runs and frames nothing.</summary>
    public const string Api = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
}
