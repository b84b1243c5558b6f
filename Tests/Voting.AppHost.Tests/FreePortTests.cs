using System.Net;
using System.Net.Sockets;
using Voting.AppHost.VoteStore;

namespace Voting.AppHost.Tests;

/// <summary>
/// Servers that cannot bind port 0 (the embedded server, redis-server, a container's port binding) are given a port
/// that was free a moment ago; another process may bind it first, and then they start on another.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public async Task The_embedded_server_starts_on_another_port_when_its_port_is_taken_before_it_binds()
    {
        var ports = new List<int>();
        using var squatter = new Squatter();

        using var server = await LocalMachine.StartOnFreeLoopbackPortAsync(port =>
        {
            ports.Add(port);
            if (ports.Count == 1)
            {
                // Another process binds the port between the moment it was found free and the server's start.
                squatter.Take(port);
            }

            return Task.FromResult(EmbeddedRedisServer.StartOnPort(port));
        }, EmbeddedRedisServer.IsPortTaken);

        Assert.Equal(2, ports.Count);
        Assert.Equal(ports[1], server.Port);
        Assert.StartsWith("Garnet", await TestRedis.ServerVersionAsync(server.ConnectionString), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_other_failure_is_not_retried()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => LocalMachine.StartOnFreeLoopbackPortAsync<int>(
            _ => { attempts++; throw new InvalidOperationException("The server's settings are wrong."); },
            _ => false));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task It_gives_up_after_five_ports_letting_the_last_failure_through()
    {
        using var squatter = new Squatter();
        var attempts = 0;

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => LocalMachine.StartOnFreeLoopbackPortAsync(port =>
        {
            attempts++;
            squatter.Take(port);
            return Task.FromResult(EmbeddedRedisServer.StartOnPort(port));
        }, EmbeddedRedisServer.IsPortTaken));

        Assert.Equal(5, attempts);
        Assert.True(EmbeddedRedisServer.IsPortTaken(failure), failure.ToString());
    }

    /// <summary>Binds ports the way another process would, until disposed.</summary>
    private sealed class Squatter : IDisposable
    {
        private readonly List<TcpListener> _listeners = [];

        public void Take(int port)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            _listeners.Add(listener);
        }

        public void Dispose() => _listeners.ForEach(listener => listener.Dispose());
    }
}
