using System.Net;
using System.Net.Sockets;
using System.Text.Json;
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
    private const string ProblemMediaType = "application/problem+json";
    private const string OutcomeUnknown = "unknown";

    public Task<Tally> GetTallyAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, VotesPath), cancellationToken)!;

    /// <summary>Counts a vote; null when the Api says the option is not on the ballot.</summary>
    public Task<Tally?> VoteAsync(string option, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{VotesPath}/{Uri.EscapeDataString(option)}"), cancellationToken);

    /// <summary>Resets every count; null when the Api refuses because reset is turned off (ALLOW_RESET=false).</summary>
    public Task<Tally?> ResetAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, VotesPath), HttpStatusCode.Forbidden, cancellationToken);

    private Task<Tally?> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, HttpStatusCode.NotFound, cancellationToken);

    /// <summary>Sends <paramref name="request"/>; null when the Api answers <paramref name="refusal"/> (refused, not unavailable).</summary>
    private async Task<Tally?> SendAsync(HttpRequestMessage request, HttpStatusCode refusal, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode == refusal)
                {
                    return null;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new VotesApiUnavailableException($"The votes API answered {(int)response.StatusCode}.")
                    {
                        StoreFull = response.StatusCode == HttpStatusCode.InsufficientStorage,
                        OutcomeUnknown = await SaysOutcomeUnknownAsync(response, cancellationToken),
                    };
                }

                return await response.Content.ReadFromJsonAsync<Tally>(cancellationToken)
                    ?? throw new VotesApiUnavailableException("The votes API answered with an empty body.");
            }
            catch (Exception exception) when (IsUnavailability(exception, cancellationToken))
            {
                throw new VotesApiUnavailableException("The votes API cannot be reached.", exception)
                {
                    OutcomeUnknown = request.Method != HttpMethod.Get && IsAnswerLost(exception),
                };
            }
        }
    }

    /// <summary>The Api's 503 for a vote or a reset that Redis may have run: problem details with <c>"outcome": "unknown"</c>.</summary>
    private static async Task<bool> SaysOutcomeUnknownAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.ServiceUnavailable
            || response.Content.Headers.ContentType?.MediaType != ProblemMediaType)
        {
            return false;
        }

        try
        {
            var problem = await response.Content.ReadFromJsonAsync<ApiProblem>(cancellationToken);
            return problem?.Outcome == OutcomeUnknown;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The request may have reached the Api but its answer never came: a timeout, or the connection ending before the
    /// answer did. A connection never made, or a circuit open, sent nothing.
    /// </summary>
    private static bool IsAnswerLost(Exception exception) => exception switch
    {
        TimeoutRejectedException or TaskCanceledException => true,
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse } => true,
        _ => false,
    };

    private static bool IsUnavailability(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException => true,
        // A connection the Api resets as soon as it is made (a pod stopping): HttpClient reads the new connection's peer
        // address then, and lets that failure through as it is, not wrapped in an HttpRequestException.
        SocketException { SocketErrorCode: SocketError.NotConnected or SocketError.ConnectionReset } => true,
        // A timeout, not the browser going away.
        TaskCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The one member of the Api's problem details the page acts on.</summary>
    private sealed record ApiProblem(string? Outcome);
}
