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

        // A plain RequestDelegate, not a handler with parameters or a typed result: that kind is compiled as the app
        // starts (expression trees, then the JIT), which cost the Web about 40 ms of its cold start and 2 MB.
        app.MapMethods("/favicon.ico", [HttpMethods.Get, HttpMethods.Head], static context =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }).DisableHttpMetrics();
        return app;
    }
}
