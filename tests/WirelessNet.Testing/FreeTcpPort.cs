using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace WirelessNet.Testing;

/// <summary>
/// Picks free TCP ports on 127.0.0.1 for servers started by the tests.
/// </summary>
/// <remarks>
/// Binding port 0 and releasing it is inherently racy: another process may take the port before our server binds it.
/// The fixtures therefore retry with a new port when a server reports "Address already in use".
/// Ports already handed out in this test process are not handed out again, so two fixtures starting concurrently
/// cannot be given the same port by the kernel's reuse of a just-released ephemeral port.
/// </remarks>
public static class FreeTcpPort
{
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>Returns a port that was free on 127.0.0.1 a moment ago and was not returned before in this process.</summary>
    public static int Pick()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            int port;
            using (var listener = new TcpListener(IPAddress.Loopback, 0))
            {
                listener.Start();
                port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
            }

            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }

        throw new InvalidOperationException("Could not find a free TCP port on 127.0.0.1 after 100 attempts.");
    }

    /// <summary>True when nothing listens on 127.0.0.1:<paramref name="port"/> and it can be bound right now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>True when a TCP connection to 127.0.0.1:<paramref name="port"/> succeeds within <paramref name="timeout"/>.</summary>
    public static async Task<bool> CanConnectAsync(int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            await client.ConnectAsync(IPAddress.Loopback, port, timeoutSource.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
