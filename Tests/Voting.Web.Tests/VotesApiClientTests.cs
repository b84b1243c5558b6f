using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Voting.Web.Services;

namespace Voting.Web.Tests;

/// <summary>
/// A connection the Api resets right after accepting it (as a pod does while it stops) reaches the Web from HttpClient
/// as a bare <see cref="SocketException"/>, and a vote's answer can be lost in flight. Real HTTP cannot produce those
/// on demand, so a handler that throws them stands in for the network here; everything else about the Api client is
/// tested over real HTTP.
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

    /// <summary>
    /// A vote whose answer never came (a timeout, the connection ending mid-answer) may have been counted; one that was
    /// never sent (the connection refused, the circuit open) was not; a read changes nothing either way.
    /// </summary>
    [Theory]
    [InlineData("timeout", true)]
    [InlineData("answer cut off", true)]
    [InlineData("connection refused", false)]
    [InlineData("circuit open", false)]
    public async Task A_vote_whose_answer_was_lost_may_have_been_counted(string failure, bool mayHaveCounted)
    {
        Exception exception = failure switch
        {
            "timeout" => new TimeoutRejectedException(),
            "answer cut off" => new HttpRequestException(HttpRequestError.ResponseEnded),
            "connection refused" => new HttpRequestException(HttpRequestError.ConnectionError),
            _ => new BrokenCircuitException(),
        };
        using var http = new HttpClient(new FailingHandler(exception)) { BaseAddress = new Uri("http://api.test/") };
        var api = new VotesApiClient(http);

        var vote = await Assert.ThrowsAsync<VotesApiUnavailableException>(() => api.VoteAsync("Cats", TestContext.Current.CancellationToken));
        var reset = await Assert.ThrowsAsync<VotesApiUnavailableException>(() => api.ResetAsync(TestContext.Current.CancellationToken));
        var read = await Assert.ThrowsAsync<VotesApiUnavailableException>(() => api.GetTallyAsync(TestContext.Current.CancellationToken));

        Assert.Equal(mayHaveCounted, vote.OutcomeUnknown);
        Assert.Equal(mayHaveCounted, reset.OutcomeUnknown);
        Assert.False(read.OutcomeUnknown);
    }

    private sealed class FailingHandler(Exception failure) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromException<HttpResponseMessage>(failure);
    }
}
