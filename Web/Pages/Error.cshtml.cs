using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Voting.Web.Pages;

/// <summary>The page for errors and bare status codes (404, 400, 429...): a plain message, never a stack trace.</summary>
/// <remarks>
/// It renders for whatever method was refused (a POST, a TRACE answered 405...). OPTIONS needs a handler of its own:
/// without one Razor Pages answers an OPTIONS request with an empty 200, which would replace the 405.
/// </remarks>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Heading { get; private set; } = "Something went wrong";

    public string Message { get; private set; } = "The request could not be completed. Please try again.";

    /// <summary>
    /// The status comes from the re-execute feature, not from model binding: a re-executed POST carries the original
    /// form, which must not be read again (it may be too large or malformed).
    /// </summary>
    public void OnOptions()
    {
    }

    /// <summary>
    /// Only a failure or a bare status code brings a request here; /Error asked for directly is a page that does not
    /// exist (404), not an error answered 200.
    /// </summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is null && HttpContext.Features.Get<IExceptionHandlerFeature>() is null)
        {
            context.Result = NotFound();
        }
    }

    public override void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
        (Heading, Message) = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode switch
        {
            StatusCodes.Status404NotFound => ("Page not found", "There is nothing at this address."),
            StatusCodes.Status400BadRequest => ("Request not accepted",
                "The form was not valid. Go back, reload the page and vote again."),
            StatusCodes.Status403Forbidden when HttpContext.Items.ContainsKey(CrossOriginProtectionExtensions.RefusedItem) =>
                ("Request not accepted", "The form was sent from another site, so nothing was counted. Open the voting page and vote there."),
            StatusCodes.Status403Forbidden => ("Not allowed", "Resetting the counts is turned off here."),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed", "This address answers GET, HEAD and POST only."),
            StatusCodes.Status429TooManyRequests => ("Too many requests",
                "Too many votes came from your address in a short time. Wait a few seconds, then vote again."),
            _ => (Heading, Message),
        };
    }
}
