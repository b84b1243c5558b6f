using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Voting.Web.Services;

/// <summary>
/// Calls the Api's /api/votes endpoints. Any failure to get an answer (down, timing out, circuit open, 5xx)
/// becomes <see cref="VotesApiUnavailableException"/>, so the page has one thing to handle.
/// </summary>
public sealed class VotesApiClient(HttpClient http)
{
    private const string VotesPath = "api/votes";

    public Task<Tally> GetTallyAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, VotesPath), cancellationToken)!;

    /// <summary>Counts a vote; null when the Api says the option is not on the ballot.</summary>
    public Task<Tally?> VoteAsync(string option, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{VotesPath}/{Uri.EscapeDataString(option)}"), cancellationToken);

    public Task<Tally> ResetAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, VotesPath), cancellationToken)!;

    private async Task<Tally?> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new VotesApiUnavailableException($"The votes API answered {(int)response.StatusCode}.");
                }

                return await response.Content.ReadFromJsonAsync<Tally>(cancellationToken)
                    ?? throw new VotesApiUnavailableException("The votes API answered with an empty body.");
            }
            catch (Exception exception) when (IsUnavailability(exception, cancellationToken))
            {
                throw new VotesApiUnavailableException("The votes API cannot be reached.", exception);
            }
        }
    }

    private static bool IsUnavailability(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException => true,
        // A timeout, not the browser going away.
        TaskCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
