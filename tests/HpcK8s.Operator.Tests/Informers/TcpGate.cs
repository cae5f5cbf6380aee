using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace HpcK8s.Operator.Tests.Informers;

/// <summary>A loopback port that forwards to an API server while open and refuses connections while closed (nothing
/// listens), so a client sees a server that goes away and comes back on the same address. Closing also cuts the
/// connections in flight with a reset, as a crashing server would.</summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _cts;
    private Task? _accepting;

    private TcpGate(IPEndPoint target, int port)
    {
        _target = target;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>A closed gate in front of <paramref name="targetUrl"/> on a port that was free a moment ago.</summary>
    public static TcpGate Closed(string targetUrl)
    {
        var uri = new Uri(targetUrl);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new TcpGate(new IPEndPoint(IPAddress.Loopback, uri.Port), port);
    }

    public void Open()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _cts = new CancellationTokenSource();
        _accepting = AcceptAsync(listener, _cts.Token);
    }

    public async Task CloseAsync()
    {
        if (_listener is null)
        {
            return;
        }

        await _cts!.CancelAsync();
        _listener.Stop();
        await _accepting!;
        foreach (var connection in _connections.Keys)
        {
            Reset(connection);
        }

        _connections.Clear();
        _cts.Dispose();
        (_listener, _cts, _accepting) = (null, null, null);
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(_target, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                Reset(inbound);
                outbound.Dispose();
                continue;
            }

            _connections[inbound] = 0;
            _connections[outbound] = 0;
            _ = PumpAsync(inbound, outbound, cancellationToken);
            _ = PumpAsync(outbound, inbound, cancellationToken);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken cancellationToken)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // The other side went away or the gate closed: end both directions below.
        }

        _connections.TryRemove(from, out _);
        _connections.TryRemove(to, out _);
        from.Dispose();
        to.Dispose();
    }

    private static void Reset(TcpClient connection)
    {
        try
        {
            // Client is null once the pump has disposed the connection; then there is nothing left to cut.
            if (connection.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        connection.Dispose();
    }
}
