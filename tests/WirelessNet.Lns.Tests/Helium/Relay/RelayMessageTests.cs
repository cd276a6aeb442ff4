using Google.Protobuf;
using WirelessNet.Lns.Helium.Relay;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Tests.Helium.Relay;

public sealed class RelayMessageTests
{
    private static readonly Eui64 Gateway = Eui64.Parse("0102030405060708");

    [Fact]
    public void A_downlink_round_trips_with_its_gateway_id_and_envelope()
    {
        var envelope = new envelope_down_v1
        {
            Packet = new packet_router_packet_down_v1
            {
                Payload = ByteString.CopyFrom(1, 2, 3),
                Rx1 = new window_v1 { Timestamp = 5_000_000, Frequency = 868_100_000, Datarate = data_rate.Sf7Bw125 },
                Rx2 = new window_v1 { Timestamp = 6_000_000, Frequency = 869_525_000, Datarate = data_rate.Sf12Bw125 },
            },
        };
        var bytes = RelayMessage.Downlink(Gateway, 0xDEADBEEF, envelope);

        // Known layout: version, kind, gateway id big-endian, downlink id big-endian, then the protobuf bytes.
        Assert.Equal(new byte[] { 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0xDE, 0xAD, 0xBE, 0xEF }, bytes[..14]);
        Assert.Equal(envelope.ToByteArray(), bytes[14..]);

        Assert.True(RelayMessage.TryRead(bytes, out var message, out var error), error);
        Assert.Equal(RelayMessageKind.Downlink, message.Kind);
        Assert.Equal(Gateway, message.GatewayId);
        Assert.Equal(0xDEADBEEFu, message.DownlinkId);
        Assert.Equal(envelope, message.Envelope);
    }

    [Fact]
    public void A_release_round_trips_with_its_claim_time()
    {
        var bytes = RelayMessage.Release(Gateway, 1_764_150_000_123);
        Assert.True(RelayMessage.TryRead(bytes, out var message, out _));
        Assert.Equal(RelayMessageKind.Release, message.Kind);
        Assert.Equal(Gateway, message.GatewayId);
        Assert.Equal(1_764_150_000_123, message.ClaimedAtUnixMs);
    }

    [Theory]
    [InlineData(new byte[0], "shorter than the header")]
    [InlineData(new byte[] { 2, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 }, "version 2")]
    [InlineData(new byte[] { 1, 9, 0, 0, 0, 0, 0, 0, 0, 1 }, "kind 9 with a body of 0 bytes")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 }, "kind 1 with a body of 2 bytes")]
    [InlineData(new byte[] { 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, "kind 2 with a body of 3 bytes")]
    public void Malformed_messages_are_refused_with_a_reason(byte[] bytes, string expected)
    {
        Assert.False(RelayMessage.TryRead(bytes, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Only_packet_envelopes_are_relayed()
    {
        var ack = new envelope_down_v1 { PacketAck = new packet_router_packet_ack_v1 { PayloadHash = ByteString.CopyFrom(new byte[32]) } };
        Assert.False(RelayMessage.TryRead(RelayMessage.Downlink(Gateway, 1, ack), out _, out var error));
        Assert.Equal("envelope carries PacketAck, not a packet", error);

        var garbage = RelayMessage.Downlink(Gateway, 1, new envelope_down_v1());
        garbage = [.. garbage, 0xFF, 0xFF];
        Assert.False(RelayMessage.TryRead(garbage, out _, out var garbageError));
        Assert.StartsWith("envelope: ", garbageError, StringComparison.Ordinal);
    }
}
