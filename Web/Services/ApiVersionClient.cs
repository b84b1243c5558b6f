namespace Voting.Web.Services;

/// <summary>
/// Asks the Api which build it runs (its /version), through service discovery like the votes, but as a client of its
/// own: a /version asked for in a loop cannot open the circuit breaker that the votes go through.
/// </summary>
public sealed class ApiVersionClient(HttpClient http)
{
    /// <summary>The Api's build, or null when it cannot be reached or gives no readable answer.</summary>
    public async Task<BuildIdentity?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await http.GetFromJsonAsync<BuildIdentity>(VersionEndpointExtensions.VersionEndpointPath.TrimStart('/'), cancellationToken);
        }
        // Whatever went wrong (down, timing out, circuit open, 404 from an older Api, not JSON), the answer is the same.
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
