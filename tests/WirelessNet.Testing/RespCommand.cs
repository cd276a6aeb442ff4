using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WirelessNet.Testing;

/// <summary>
/// Sends one command to a Redis server over a fresh connection and returns the first line of the reply.
/// Raw RESP keeps the fixture free of client-library state (reconnect logic, multiplexers) that would blur readiness checks.
/// </summary>
internal static class RespCommand
{
    public static async Task<string> SendAsync(int port, TimeSpan timeout, CancellationToken cancellationToken, params string[] command)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var token = timeoutSource.Token;

        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port, token).ConfigureAwait(false);
        var stream = client.GetStream();

        var request = new StringBuilder();
        request.Append(CultureInfo.InvariantCulture, $"*{command.Length}\r\n");
        foreach (var part in command)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), token).ConfigureAwait(false);

        var reply = new List<byte>();
        var buffer = new byte[256];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, token).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("Redis closed the connection before replying.");
            }

            reply.AddRange(buffer.AsSpan(0, read));
            var text = Encoding.UTF8.GetString(reply.ToArray());
            var end = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return text[..end];
            }
        }
    }
}
