namespace Voting.Web.Infrastructure;

public static class FaviconExtensions
{
    /// <summary>
    /// Browsers ask for /favicon.ico on every first visit. The page has no icon: "204 No Content", cached for a day,
    /// says so without a 404, which would re-execute the error page and add a "GET Error" trace to every page view.
    /// </summary>
    public static WebApplication MapFavicon(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapMethods("/favicon.ico", [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return TypedResults.NoContent();
        }).DisableHttpMetrics();
        return app;
    }
}
