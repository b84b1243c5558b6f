using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Voting.Web.Pages;

/// <summary>
/// The voting page. Votes are POSTed (from this page only: <see cref="CrossOriginProtection"/>) and answered with a redirect back
/// to the page (Post/Redirect/Get), so refreshing the page never votes twice.
/// </summary>
/// <remarks>
/// The counts come from this replica's <see cref="TallyCache"/>; after a vote or a reset the visitor's next page view,
/// on whichever replica, shows at least what their vote left (<see cref="SeenTally"/>).
/// </remarks>
public sealed class IndexModel(VotesApiClient api, TallyCache tallies) : PageModel
{
    /// <summary>The page's address (the app is served at the root): the form posts to it and a vote redirects to it.</summary>
    public const string PageAddress = "/";

    public Tally? Tally { get; private set; }

    /// <summary>What was wrong with the form just posted, shown above the buttons (with a 400).</summary>
    public string? Problem { get; private set; }

    /// <summary>Why the page has no counts to show: a plain outage, or a store that is full (votes refused).</summary>
    public bool StoreFull { get; private set; }

    /// <summary>
    /// In an outage, what the visitor just sent ("Your vote", "The reset") when it may have taken effect all the same, so
    /// the page can say so rather than invite them to send it again.
    /// </summary>
    public string? Unconfirmed { get; private set; }

    /// <summary>
    /// Razor Pages fall back to the default handler when the one named (<c>?handler=Nope</c>) does not exist, which
    /// would count a vote: a handler that is named but not found is a 404.
    /// </summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var requested = context.RouteData.Values["handler"]?.ToString() is { Length: > 0 } routed
            ? routed
            : context.HttpContext.Request.Query["handler"].ToString();
        if (requested.Length > 0 && !string.Equals(requested, context.HandlerMethod?.Name, StringComparison.OrdinalIgnoreCase))
        {
            context.Result = NotFound();
        }
    }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        WhenAvailable(sent: null, async () =>
        {
            var seen = SeenTally.Parse(Request.Cookies[SeenTally.CookieName]);
            if (seen is not null)
            {
                // Its job ends with this view: later views take the cache as it comes.
                Response.Cookies.Delete(SeenTally.CookieName, SeenCookieOptions());
            }

            Tally = await tallies.GetAsync(seen, api.GetTallyAsync, cancellationToken);
            return Page();
        });

    public Task<IActionResult> OnPostAsync([FromForm] string? vote, CancellationToken cancellationToken)
    {
        // A form that could not be read (over the size limit, malformed): 400 and the error page, nothing counted.
        if (!ModelState.IsValid)
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        // Model binding would take the first of several values: a form that votes twice counts nothing. (A body that is
        // not a form binds no vote at all.)
        var votes = Request.HasFormContentType ? Request.Form[nameof(vote)].Count : 0;
        return WhenAvailable("Your vote", async () =>
        {
            var since = tallies.Now();
            if (votes == 1 && !string.IsNullOrEmpty(vote) && await api.VoteAsync(vote, cancellationToken) is { } counted)
            {
                tallies.Publish(counted, since);
                return SeeOther(SeenTally.After(counted));
            }

            // The form came from this page: the choice itself is what is wrong.
            Tally = await api.GetTallyAsync(cancellationToken);
            Problem = votes > 1
                ? "Choose one option: a vote is for one of them."
                : string.IsNullOrEmpty(vote)
                    ? "Choose an option to vote for."
                    : $"\"{vote}\" is not on the ballot. Vote for {Choices(Tally)}.";
            var page = Page();
            page.StatusCode = StatusCodes.Status400BadRequest;
            return page;
        });
    }

    /// <summary>The Api decides (ALLOW_RESET): when it refuses, so does the page, with 403.</summary>
    public Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken) =>
        WhenAvailable("The reset", async () =>
        {
            var since = tallies.Now();
            if (await api.ResetAsync(cancellationToken) is not { } reset)
            {
                return StatusCode(StatusCodes.Status403Forbidden);
            }

            tallies.Publish(reset, since);
            return SeeOther(SeenTally.After(reset));
        });

    /// <summary>"Cats or Dogs", "Cats, Dogs or Birds".</summary>
    private static string Choices(Tally tally) =>
        tally.Options.Count == 1
            ? tally.Options[0].Name
            : $"{string.Join(", ", tally.Options.SkipLast(1).Select(o => o.Name))} or {tally.Options[^1].Name}";

    /// <summary>
    /// 303 See Other: the browser follows with a GET, so a refresh re-reads the page instead of re-posting. The cookie
    /// makes that GET show <paramref name="seen"/> at least, whichever replica answers it.
    /// </summary>
    private StatusCodeResult SeeOther(SeenTally seen)
    {
        Response.Cookies.Append(SeenTally.CookieName, seen.CookieValue, SeenCookieOptions());
        Response.Headers.Location = PageAddress;
        return StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>Short-lived: only the page view right after the redirect needs it.</summary>
    private CookieOptions SeenCookieOptions() => new()
    {
        Path = "/",
        HttpOnly = true,
        Secure = Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        MaxAge = TimeSpan.FromMinutes(1),
        IsEssential = true,
    };

    /// <summary>Runs <paramref name="action"/>; in an outage, the 503 page instead. <paramref name="sent"/> names the write, if any.</summary>
    private async Task<IActionResult> WhenAvailable(string? sent, Func<Task<IActionResult>> action)
    {
        try
        {
            return await action();
        }
        catch (VotesApiUnavailableException exception)
        {
            Tally = null;
            Problem = null;
            StoreFull = exception.StoreFull;
            Unconfirmed = exception.OutcomeUnknown ? sent : null;
            // A full store does not empty itself in seconds: no Retry-After that would invite a retry loop.
            if (!exception.StoreFull)
            {
                Response.Headers.RetryAfter = "5";
            }

            var page = Page();
            page.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return page;
        }
    }
}
