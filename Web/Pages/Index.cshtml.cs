using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Voting.Web.Pages;

/// <summary>
/// The voting page. Votes are POSTed (antiforgery-checked by Razor Pages) and answered with a redirect back
/// to the page (Post/Redirect/Get), so refreshing the page never votes twice.
/// </summary>
public sealed class IndexModel(VotesApiClient api) : PageModel
{
    public Tally? Tally { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        WhenAvailable(async () =>
        {
            Tally = await api.GetTallyAsync(cancellationToken);
            return Page();
        });

    public Task<IActionResult> OnPostAsync([FromForm] string? vote, CancellationToken cancellationToken) =>
        WhenAvailable(async () =>
        {
            if (string.IsNullOrEmpty(vote) || await api.VoteAsync(vote, cancellationToken) is null)
            {
                return BadRequest();
            }

            return SeeOther();
        });

    public Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken) =>
        WhenAvailable(async () =>
        {
            await api.ResetAsync(cancellationToken);
            return SeeOther();
        });

    /// <summary>303 See Other: the browser follows with a GET, so a refresh re-reads the page instead of re-posting.</summary>
    private StatusCodeResult SeeOther()
    {
        Response.Headers.Location = Url.Page("/Index");
        return StatusCode(StatusCodes.Status303SeeOther);
    }

    private async Task<IActionResult> WhenAvailable(Func<Task<IActionResult>> action)
    {
        try
        {
            return await action();
        }
        catch (VotesApiUnavailableException)
        {
            Tally = null;
            Response.Headers.RetryAfter = "5";
            var page = Page();
            page.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return page;
        }
    }
}
