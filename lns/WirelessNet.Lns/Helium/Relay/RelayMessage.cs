using System.Buffers.Binary;
using Google.Protobuf;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Helium.Relay;

/// <summary>What one server instance asks of the instance that holds a gateway's route stream.</summary>
internal enum RelayMessageKind : byte
{
    /// <summary>Write this <c>envelope_down_v1</c> to the gateway's stream and acknowledge it as the local door would.</summary>
    Downlink = 1,

    /// <summary>A newer stream of the gateway registered elsewhere: end yours if it is older.</summary>
    Release = 2,
}

/// <summary>
/// A message between server instances on the relay channel. Binary and versioned: version 1, kind, the gateway id
/// (8 bytes big-endian), then for a downlink its id (4 bytes big-endian) and the protobuf bytes of the
/// <c>envelope_down_v1</c>, for a release the Unix time in ms at which the newer stream was claimed (8 bytes).
/// </summary>
internal readonly record struct RelayMessage(RelayMessageKind Kind, Eui64 GatewayId, uint DownlinkId, long ClaimedAtUnixMs, envelope_down_v1? Envelope)
{
    private const byte Version = 1;
    private const int HeaderLength = 1 + 1 + 8;

    public static byte[] Downlink(Eui64 gatewayId, uint downlinkId, envelope_down_v1 envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var size = envelope.CalculateSize();
        var bytes = new byte[HeaderLength + 4 + size];
        WriteHeader(bytes, RelayMessageKind.Downlink, gatewayId);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(HeaderLength), downlinkId);
        envelope.WriteTo(bytes.AsSpan(HeaderLength + 4));
        return bytes;
    }

    public static byte[] Release(Eui64 gatewayId, long claimedAtUnixMs)
    {
        var bytes = new byte[HeaderLength + 8];
        WriteHeader(bytes, RelayMessageKind.Release, gatewayId);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(HeaderLength), claimedAtUnixMs);
        return bytes;
    }

    /// <summary>Reads a relay message; false with the reason (never an exception) for anything malformed or of another version.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RelayMessage message, out string error)
    {
        message = default;
        if (data.Length < HeaderLength)
        {
            error = "shorter than the header";
            return false;
        }

        if (data[0] != Version)
        {
            error = $"version {data[0]}";
            return false;
        }

        var gatewayId = Eui64.ReadBigEndian(data[2..HeaderLength]);
        var body = data[HeaderLength..];
        switch ((RelayMessageKind)data[1])
        {
            case RelayMessageKind.Downlink when body.Length >= 4:
                envelope_down_v1 envelope;
                try
                {
                    envelope = envelope_down_v1.Parser.ParseFrom(body[4..]);
                }
                catch (InvalidProtocolBufferException e)
                {
                    error = "envelope: " + e.Message;
                    return false;
                }

                if (envelope.DataCase != envelope_down_v1.DataOneofCase.Packet)
                {
                    error = $"envelope carries {envelope.DataCase}, not a packet";
                    return false;
                }

                message = new RelayMessage(RelayMessageKind.Downlink, gatewayId, BinaryPrimitives.ReadUInt32BigEndian(body), 0, envelope);
                break;
            case RelayMessageKind.Release when body.Length == 8:
                message = new RelayMessage(RelayMessageKind.Release, gatewayId, 0, BinaryPrimitives.ReadInt64BigEndian(body), null);
                break;
            default:
                error = $"kind {data[1]} with a body of {body.Length} bytes";
                return false;
        }

        error = string.Empty;
        return true;
    }

    private static void WriteHeader(Span<byte> destination, RelayMessageKind kind, Eui64 gatewayId)
    {
        destination[0] = Version;
        destination[1] = (byte)kind;
        gatewayId.WriteBigEndian(destination[2..HeaderLength]);
    }
}
