using Microsoft.AspNetCore.Http;
using Voting.Web.Infrastructure;

namespace Voting.Web.Tests;

/// <summary>
/// Which requests <see cref="CrossOriginProtection"/> lets change anything, header by header. The refusal over real HTTP
/// (403, the error page, nothing counted) is in <see cref="VotingPageTests"/>.
/// </summary>
public sealed class CrossOriginProtectionTests
{
    [Theory]
    // What the page's own form sends in a current browser, and a form submitted from the address bar or a bookmark.
    [InlineData("POST", "same-origin", null, true)]
    [InlineData("POST", "none", null, true)]
    // Another site, or a sibling host on the same domain (another app), made the browser send it.
    [InlineData("POST", "cross-site", null, false)]
    [InlineData("POST", "same-site", null, false)]
    [InlineData("POST", "cross-site", "https://voting.example.com", false)]
    [InlineData("POST", "unheard-of", null, false)]
    // A browser from before Fetch Metadata: Origin alone decides, by host.
    [InlineData("POST", null, "https://voting.example.com", true)]
    [InlineData("POST", null, "http://voting.example.com", true)]
    [InlineData("POST", null, "https://VOTING.example.com", true)]
    [InlineData("POST", null, "https://attacker.example", false)]
    [InlineData("POST", null, "https://voting.example.com.attacker.example", false)]
    [InlineData("POST", null, "https://voting.example.com:8443", false)]
    [InlineData("POST", null, "null", false)]
    [InlineData("POST", null, "", false)]
    // Not a browser (curl, a script, the smoke test): no other site can make a visitor send this.
    [InlineData("POST", null, null, true)]
    // Methods that change nothing pass whatever their headers say.
    [InlineData("GET", "cross-site", "https://attacker.example", true)]
    [InlineData("HEAD", "cross-site", null, true)]
    [InlineData("OPTIONS", "cross-site", null, true)]
    [InlineData("DELETE", "cross-site", null, false)]
    [InlineData("PUT", null, "https://attacker.example", false)]
    public void Allows_only_what_the_page_itself_or_a_non_browser_sends(string method, string? fetchSite, string? origin, bool allowed)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = method;
        request.Host = new HostString("voting.example.com");
        if (fetchSite is not null)
        {
            request.Headers["Sec-Fetch-Site"] = fetchSite;
        }

        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        Assert.Equal(allowed, CrossOriginProtection.Allows(request));
    }
}
