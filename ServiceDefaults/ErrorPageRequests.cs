using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Voting.ServiceDefaults;

/// <summary>
/// The error page re-executed for an earlier request (by <c>UseStatusCodePagesWithReExecute</c> or
/// <c>UseExceptionHandler</c>) keeps that request's method and headers. Middleware that refuses or limits requests
/// lets it through, or the page that explains a refusal would itself be refused.
/// </summary>
public static class ErrorPageRequests
{
    public static bool IsErrorPageReExecution(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || context.Features.Get<IExceptionHandlerFeature>() is not null;
    }
}
