namespace Voting.Web.Infrastructure;

public static class AllowedMethodsExtensions
{
    /// <summary>What the Web answers: pages and static files (GET, HEAD) and the form (POST).</summary>
    public const string Allowed = "GET, HEAD, POST";

    /// <summary>
    /// Razor Pages run a page for any method, so OPTIONS, TRACE or PUT on / used to render the page without its data
    /// (the "temporarily unavailable" page, with 200). They get 405 with <c>Allow</c> instead, and the error page.
    /// </summary>
    public static WebApplication UseAllowedMethods(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.Use((context, next) =>
        {
            var method = context.Request.Method;
            var allowed = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsPost(method);
            if (allowed || context.IsErrorPageReExecution())
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = Allowed;
            return Task.CompletedTask;
        });
        return app;
    }
}
