namespace Voting.Web.Infrastructure;

public static class CrossOriginProtectionExtensions
{
    /// <summary>Set on a request refused by <see cref="CrossOriginProtection"/>, so the error page can say why.</summary>
    public const string RefusedItem = "Voting.CrossOriginRefused";

    /// <summary>
    /// Refuses a vote or reset that another site's page made the visitor's browser send: 403 and the error page, before
    /// the form is read or anything is counted.
    /// </summary>
    public static WebApplication UseCrossOriginProtection(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.Use((context, next) =>
        {
            if (CrossOriginProtection.Allows(context.Request) || context.IsErrorPageReExecution())
            {
                return next(context);
            }

            context.Items[RefusedItem] = true;
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        });
        return app;
    }
}
