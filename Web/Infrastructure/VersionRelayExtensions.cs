namespace Voting.Web.Infrastructure;

/// <summary>The Web's build and, relayed, the build of the Api it calls: <c>"api": null</c> when the Api did not answer.</summary>
public sealed record RelayedBuildIdentity(string Service, string Revision, BuildIdentity? Api);

public static class VersionRelayExtensions
{
    /// <summary>
    /// Maps GET /version on the Web, the one service exposed: its own build and the Api's, so a check from outside the
    /// cluster (the promotion's) sees both behind one URL. A read like the page, so neither the write limit nor the
    /// cross-site check applies; each answer costs one call to the Api.
    /// </summary>
    public static WebApplication MapVersionEndpointWithApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var web = app.GetBuildIdentity();
        app.MapMethods(VersionEndpointExtensions.VersionEndpointPath, [HttpMethods.Get, HttpMethods.Head], async context =>
        {
            var api = await context.RequestServices.GetRequiredService<ApiVersionClient>().GetAsync(context.RequestAborted);
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(new RelayedBuildIdentity(web.Service, web.Revision, api), context.RequestAborted);
        });
        return app;
    }
}
