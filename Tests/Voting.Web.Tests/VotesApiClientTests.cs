using System.Net.Sockets;
using Voting.Web.Services;

namespace Voting.Web.Tests;

/// <summary>
/// A connection the Api resets right after accepting it (as a pod does while it stops) reaches the Web from HttpClient
/// as a bare <see cref="SocketException"/>. Real HTTP cannot produce that race on demand, so a handler that throws it
/// stands in for the network here; everything else about the Api client is tested over real HTTP.
/// </summary>
public sealed class VotesApiClientTests
{
    [Theory]
    [InlineData(SocketError.NotConnected)]
    [InlineData(SocketError.ConnectionReset)]
    public async Task A_connection_reset_as_it_is_made_is_the_api_being_unavailable(SocketError error)
    {
        using var http = new HttpClient(new FailingHandler(new SocketException((int)error))) { BaseAddress = new Uri("http://api.test/") };
        var api = new VotesApiClient(http);

        await Assert.ThrowsAsync<VotesApiUnavailableException>(() => api.VoteAsync("Cats", TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<VotesApiUnavailableException>(() => api.GetTallyAsync(TestContext.Current.CancellationToken));
    }

    private sealed class FailingHandler(Exception failure) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(failure);
    }
}
