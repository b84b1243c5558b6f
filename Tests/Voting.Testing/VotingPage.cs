using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Voting.Testing;

/// <summary>The voting page as a browser gets it, and its form posted as a browser posts it.</summary>
public sealed class VotingPage
{
    private VotingPage(IHtmlDocument document) => Document = document;

    /// <summary>
    /// Where a browser says a form post comes from (a header no page can set). A current browser sends
    /// <c>same-origin</c> for the page's own form; another site's page makes it send <c>cross-site</c>.
    /// </summary>
    public const string SameOrigin = "same-origin";

    public IHtmlDocument Document { get; }

    public string Results => Document.GetElementById("results")?.TextContent.Trim() ?? "";

    public static async Task<VotingPage> LoadAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync("/");
        response.EnsureSuccessStatusCode();
        return new VotingPage(await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Submits the form as a browser would when <paramref name="buttonClass"/> is clicked.</summary>
    public async Task<HttpResponseMessage> ClickAsync(HttpClient client, string buttonClass, string? fetchSite = SameOrigin)
    {
        var button = Document.QuerySelector($"#form button.{buttonClass}")
            ?? throw new InvalidOperationException($"No button with class {buttonClass}.");
        var action = button.GetAttribute("formaction") ?? Document.GetElementById("form")?.GetAttribute("action") ?? "/";
        return await SubmitAsync(client, new() { [button.GetAttribute("name")!] = button.GetAttribute("value")! },
            string.IsNullOrEmpty(action) ? "/" : action, fetchSite);
    }

    /// <summary>
    /// Posts <paramref name="fields"/> as a form, with <c>Sec-Fetch-Site: <paramref name="fetchSite"/></c> (none when
    /// null, as a client that is not a browser sends it).
    /// </summary>
    public static Task<HttpResponseMessage> SubmitAsync(
        HttpClient client, Dictionary<string, string> fields, string action = "/", string? fetchSite = SameOrigin) =>
        SubmitAsync(client, (IEnumerable<KeyValuePair<string, string>>)fields, action, fetchSite);

    /// <summary>The same with fields in order, a name possibly more than once (<c>vote=Cats&amp;vote=Dogs</c>).</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient client, IEnumerable<KeyValuePair<string, string>> fields, string action = "/", string? fetchSite = SameOrigin)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return await client.SendAsync(request);
    }
}
