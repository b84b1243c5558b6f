using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Voting.Testing;

/// <summary>The voting page as a browser gets it: its parsed HTML and the antiforgery cookie that came with it.</summary>
public sealed class VotingPage
{
    private VotingPage(IHtmlDocument document, string? cookie)
    {
        Document = document;
        AntiforgeryCookie = cookie;
    }

    /// <summary>The cookie's name outside Development, where the tests run the Web (the Web tests check it is the Web's).</summary>
    public const string AntiforgeryCookieName = "__Host-Voting.Antiforgery";

    /// <summary>Its name in Development, over plain http://localhost, where the AppHost runs the Web.</summary>
    public const string DevelopmentAntiforgeryCookieName = "Voting.Antiforgery";

    /// <summary>Both names: the AppHost runs the Web in Development (plain http://localhost), the other tests outside it.</summary>
    private static readonly string[] AntiforgeryCookieNames = [AntiforgeryCookieName, DevelopmentAntiforgeryCookieName];

    public IHtmlDocument Document { get; }

    public string? AntiforgeryCookie { get; }

    public string Results => Document.GetElementById("results")?.TextContent.Trim() ?? "";

    public string Token =>
        Document.QuerySelector("#form input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";

    public static async Task<VotingPage> LoadAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/");
        response.EnsureSuccessStatusCode();
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0])
                .FirstOrDefault(c => AntiforgeryCookieNames.Any(name => c.StartsWith(name + "=", StringComparison.Ordinal)))
            : null;
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return new VotingPage(document, cookie);
    }

    /// <summary>Submits the form as a browser would when <paramref name="buttonClass"/> is clicked.</summary>
    public async Task<HttpResponseMessage> ClickAsync(HttpClient client, string buttonClass, string? token = null, string? cookie = null)
    {
        var button = Document.QuerySelector($"#form button.{buttonClass}")
            ?? throw new InvalidOperationException($"No button with class {buttonClass}.");
        var action = button.GetAttribute("formaction") ?? Document.GetElementById("form")?.GetAttribute("action") ?? "/";
        return await SubmitAsync(client, new()
        {
            [button.GetAttribute("name")!] = button.GetAttribute("value")!,
            ["__RequestVerificationToken"] = token ?? Token,
        }, string.IsNullOrEmpty(action) ? "/" : action, cookie);
    }

    /// <summary>Posts <paramref name="fields"/> as a form, with this page's antiforgery cookie unless another is given.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(
        HttpClient client, Dictionary<string, string> fields, string action = "/", string? cookie = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
        if ((cookie ?? AntiforgeryCookie) is { Length: > 0 } sent)
        {
            request.Headers.Add("Cookie", sent);
        }

        return await client.SendAsync(request);
    }
}
