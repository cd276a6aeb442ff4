using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Uplinks;

public sealed class JournaledUplinkEventTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 12, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void An_entry_reads_back_with_every_field_and_reception()
    {
        var uplink = Uplink();
        var entry = JournaledUplinkEvent.Encode(uplink);

        Assert.True(JournaledUplinkEvent.TryReadTime(entry, out var time));
        Assert.Equal(At, time);
        Assert.True(JournaledUplinkEvent.TryDecode(entry, out var journaled));
        Assert.Equal(uplink.Device.DevEui, journaled!.DevEui);
        Assert.Equal(uplink.DeduplicationId, journaled.DeduplicationId);
        Assert.Equal(At, journaled.Time);
        Assert.Equal(uplink.DevAddr, journaled.DevAddr);
        Assert.True(journaled.Adr);
        Assert.Equal(5, journaled.DataRate);
        Assert.Equal(70_000u, journaled.FCnt);
        Assert.Equal(9, journaled.FPort);
        Assert.True(journaled.Confirmed);
        Assert.Equal(uplink.Data, journaled.Data);
        Assert.Equal(2, journaled.Receptions.Count);
        Assert.Equal(uplink.Receptions[1].GatewayId, journaled.Receptions[1].GatewayId);
        Assert.Equal(-97, journaled.Receptions[1].Rssi);
        Assert.Equal(uplink.Receptions[0].Context, journaled.Receptions[0].Context);
        Assert.Equal(new GeoLocation(52.5, 13.4, 40), journaled.Receptions[0].Location);
    }

    [Fact]
    public void Damaged_or_foreign_bytes_are_refused_without_an_exception()
    {
        var entry = JournaledUplinkEvent.Encode(Uplink());

        Assert.False(JournaledUplinkEvent.TryDecode(entry[..^3], out _));
        Assert.False(JournaledUplinkEvent.TryDecode([], out _));
        Assert.False(JournaledUplinkEvent.TryDecode([2, .. entry[1..]], out _));
        Assert.False(JournaledUplinkEvent.TryReadTime([1, 2, 3], out _));
    }

    private static DeviceUplinkEvent Uplink()
    {
        var device = new Device { DevEui = new Eui64(0x70B3D57ED0000001), TenantId = "t1", ApplicationId = "app1", ProfileId = "p1" };
        var profile = new DeviceProfile { Id = "p1", TenantId = "t1" };
        UplinkReception Reception(ulong gateway, int rssi, GeoLocation? location) => new()
        {
            GatewayId = new Eui64(gateway),
            PhyPayload = [0x80, 1, 2, 3, 4, 0x80, 0x70, 0x11, 9, 0xAA, 0xBB, 1, 2, 3, 4],
            FrequencyHz = 868_300_000,
            Modulation = new LoRaModulation(7, 125_000, 5),
            Rssi = rssi,
            Snr = 7.5f,
            ReceivedAt = At,
            Context = [1, 2, 3, 4],
            GatewayTimestampMicros = 123_456,
            Location = location,
        };
        return new DeviceUplinkEvent(
            Guid.NewGuid(), At, device, profile, new DevAddr(0x26011234), true, 5, 70_000, 9, true, [0xDE, 0xAD, 0xBE, 0xEF],
            [Reception(0x0102030405060708, -80, new GeoLocation(52.5, 13.4, 40)), Reception(0x1112131415161718, -97, null)]);
    }
}
