using System.Buffers.Binary;
using System.Text;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Uplinks;

/// <summary>
/// An accepted uplink's event as the counter claim stores it, until the event has been handed to the broker or the
/// outbox. Device and profile are referenced, not copied: whoever re-emits a left-over entry reads them again.
/// </summary>
public sealed record JournaledUplinkEvent(
    Eui64 DevEui,
    Guid DeduplicationId,
    DateTimeOffset Time,
    DevAddr DevAddr,
    bool Adr,
    int DataRate,
    uint FCnt,
    int FPort,
    bool Confirmed,
    byte[] Data,
    IReadOnlyList<UplinkReception> Receptions)
{
    private const byte Version = 1;

    /// <summary>The event again, with the device and profile as they are now.</summary>
    public DeviceUplinkEvent ToEvent(Device device, DeviceProfile profile) =>
        new(DeduplicationId, Time, device, profile, DevAddr, Adr, DataRate, FCnt, FPort, Confirmed, Data, Receptions);

    /// <summary>The bytes stored with the claim; the time comes first so a sweep can judge an entry's age cheaply.</summary>
    public static byte[] Encode(DeviceUplinkEvent uplink)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        using var stream = new MemoryStream(128 + uplink.Data.Length + (uplink.Receptions.Count * 96));
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        w.Write(Version);
        w.Write(uplink.Time.UtcTicks);
        w.Write(uplink.Device.DevEui.Value);
        w.Write(uplink.DeduplicationId.ToByteArray());
        w.Write(uplink.DevAddr.Value);
        w.Write(uplink.Adr);
        w.Write(uplink.DataRate);
        w.Write(uplink.FCnt);
        w.Write(uplink.FPort);
        w.Write(uplink.Confirmed);
        w.Write(uplink.Data.Length);
        w.Write(uplink.Data);
        w.Write(uplink.Receptions.Count);
        foreach (var reception in uplink.Receptions)
        {
            UplinkReceptionSerializer.Write(w, reception);
        }

        w.Flush();
        return stream.ToArray();
    }

    /// <summary>When the entry's event happened; false for bytes of another format.</summary>
    public static bool TryReadTime(ReadOnlySpan<byte> entry, out DateTimeOffset time)
    {
        time = default;
        if (entry.Length < 9 || entry[0] != Version)
        {
            return false;
        }

        // BinaryWriter writes little-endian whatever the machine.
        var ticks = BinaryPrimitives.ReadInt64LittleEndian(entry[1..9]);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        time = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>Reads an entry; false (never an exception) for damaged bytes or another format.</summary>
    public static bool TryDecode(byte[] entry, out JournaledUplinkEvent? journaled)
    {
        ArgumentNullException.ThrowIfNull(entry);
        journaled = null;
        try
        {
            using var r = new BinaryReader(new MemoryStream(entry), Encoding.UTF8);
            if (r.ReadByte() != Version)
            {
                return false;
            }

            var time = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
            var devEui = new Eui64(r.ReadUInt64());
            var deduplicationId = new Guid(r.ReadBytes(16));
            var devAddr = new DevAddr(r.ReadUInt32());
            var adr = r.ReadBoolean();
            var dataRate = r.ReadInt32();
            var fCnt = r.ReadUInt32();
            var fPort = r.ReadInt32();
            var confirmed = r.ReadBoolean();
            var dataLength = r.ReadInt32();
            if (dataLength is < 0 or > 255)
            {
                return false;
            }

            var data = r.ReadBytes(dataLength);
            var count = r.ReadInt32();
            if (count is < 1 or > 1024 || data.Length != dataLength)
            {
                return false;
            }

            var receptions = new List<UplinkReception>(count);
            for (var i = 0; i < count; i++)
            {
                receptions.Add(UplinkReceptionSerializer.Read(r));
            }

            journaled = new JournaledUplinkEvent(devEui, deduplicationId, time, devAddr, adr, dataRate, fCnt, fPort, confirmed, data, receptions);
            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException)
        {
            return false;
        }
    }
}
