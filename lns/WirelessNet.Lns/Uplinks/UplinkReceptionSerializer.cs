using System.Buffers.Binary;
using System.Text;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Uplinks;

/// <summary>
/// Compact binary form of a reception, for the deduplication store (receptions from several server instances meet
/// there). Versioned so a rolling upgrade can tell formats apart.
/// </summary>
public static class UplinkReceptionSerializer
{
    private const byte Version = 1;

    public static byte[] Serialize(UplinkReception r)
    {
        ArgumentNullException.ThrowIfNull(r);
        using var stream = new MemoryStream(64 + r.PhyPayload.Length + r.Context.Length);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        Write(w, r);
        w.Flush();
        return stream.ToArray();
    }

    /// <summary>Writes a reception into a larger record (the same bytes <see cref="Serialize"/> returns).</summary>
    internal static void Write(BinaryWriter w, UplinkReception r)
    {
        w.Write(Version);
        w.Write(r.GatewayId.Value);
        w.Write(r.FrequencyHz);
        w.Write((byte)r.Modulation.SpreadingFactor);
        w.Write(r.Modulation.BandwidthHz);
        w.Write((byte)r.Modulation.CodeRateDenominator);
        w.Write(r.Rssi);
        w.Write(r.Snr);
        w.Write(r.ReceivedAt.UtcTicks);
        w.Write((byte)r.Transport);
        w.Write(r.UplinkId);
        w.Write(r.Channel);
        w.Write(r.RfChain);
        w.Write(r.Board);
        w.Write(r.Antenna);
        w.Write(r.GatewayTimestampMicros.HasValue);
        w.Write(r.GatewayTimestampMicros ?? 0);
        w.Write(r.Location.HasValue);
        var location = r.Location ?? default;
        w.Write(location.Latitude);
        w.Write(location.Longitude);
        w.Write(location.Altitude);
        WriteBytes(w, r.Context);
        WriteBytes(w, r.PhyPayload);
        w.Write(r.Metadata.Count);
        foreach (var (key, value) in r.Metadata)
        {
            w.Write(key);
            w.Write(value);
        }
    }

    /// <summary>Reads a serialized reception; false (never an exception) for data in another or a damaged format.</summary>
    public static bool TryDeserialize(byte[] data, out UplinkReception? reception)
    {
        reception = null;
        try
        {
            using var r = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
            reception = Read(r);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Reads a reception written by <see cref="Write"/>; throws <see cref="IOException"/> (or
    /// <see cref="EndOfStreamException"/>) for another format or damaged data.</summary>
    internal static UplinkReception Read(BinaryReader r)
    {
        if (r.ReadByte() != Version)
        {
            throw new IOException("another reception format");
        }

        var gatewayId = new Eui64(r.ReadUInt64());
        var frequency = r.ReadUInt64();
        var modulation = new LoRaModulation(r.ReadByte(), r.ReadInt32(), r.ReadByte());
        var rssi = r.ReadInt32();
        var snr = r.ReadSingle();
        var receivedAt = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
        var transport = (GatewayTransport)r.ReadByte();
        var uplinkId = r.ReadUInt32();
        var channel = r.ReadInt32();
        var rfChain = r.ReadInt32();
        var board = r.ReadInt32();
        var antenna = r.ReadInt32();
        var hasTimestamp = r.ReadBoolean();
        var timestamp = r.ReadUInt64();
        var hasLocation = r.ReadBoolean();
        var location = new GeoLocation(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        var context = ReadBytes(r);
        var phy = ReadBytes(r);
        var count = r.ReadInt32();
        if (count is < 0 or > 256)
        {
            throw new IOException("metadata count out of range");
        }

        var metadata = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            metadata[r.ReadString()] = r.ReadString();
        }

        return new UplinkReception
        {
            GatewayId = gatewayId,
            PhyPayload = phy,
            FrequencyHz = frequency,
            Modulation = modulation,
            Rssi = rssi,
            Snr = snr,
            ReceivedAt = receivedAt,
            Transport = transport,
            UplinkId = uplinkId,
            Channel = channel,
            RfChain = rfChain,
            Board = board,
            Antenna = antenna,
            GatewayTimestampMicros = hasTimestamp ? timestamp : null,
            Location = hasLocation ? location : null,
            Context = context,
            Metadata = metadata,
        };
    }

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length is < 0 or > 4096)
        {
            throw new IOException("length out of range");
        }

        var bytes = r.ReadBytes(length);
        return bytes.Length == length ? bytes : throw new EndOfStreamException();
    }

    /// <summary>The deduplication key of a frame: its bytes identify it (MIC included), the gateways do not.</summary>
    public static string DeduplicationKey(ReadOnlySpan<byte> phyPayload)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(phyPayload, hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
