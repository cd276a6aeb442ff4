using System.Net;
using System.Net.Sockets;

namespace WirelessNet.Testing.Tests;

public sealed class FreeTcpPortTests
{
    [Fact]
    public void Pick_ReturnsDistinctPortsThatCanBeBound()
    {
        var ports = Enumerable.Range(0, 20).Select(_ => FreeTcpPort.Pick()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1024, 65535));
        using var listener = new TcpListener(IPAddress.Loopback, ports[0]);
        listener.Start();
    }

    [Fact]
    public async Task IsFreeAndCanConnect_ReflectAListener()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.False(FreeTcpPort.IsFree(port));
        Assert.True(await FreeTcpPort.CanConnectAsync(port, TimeSpan.FromSeconds(2)));

        listener.Stop();
        Assert.True(FreeTcpPort.IsFree(port));
        Assert.False(await FreeTcpPort.CanConnectAsync(port, TimeSpan.FromSeconds(2)));
    }
}
