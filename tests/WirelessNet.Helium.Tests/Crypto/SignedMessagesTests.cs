using Google.Protobuf;
using WirelessNet.Helium.Crypto;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Helium.Tests.Crypto;

public sealed class SignedMessagesTests
{
    public static TheoryData<HeliumKeyType> KeyTypes => new() { HeliumKeyType.EccCompact, HeliumKeyType.Ed25519 };

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void SignatureCoversTheEncodingWithTheSignatureFieldEmpty(HeliumKeyType keyType)
    {
        using var gateway = HeliumKeyPair.Generate(keyType, HeliumNetwork.MainNet);
        var packet = Packet(gateway.PublicKey);

        var signature = SignedMessages.Sign(packet, gateway);

        Assert.Equal(signature, packet.Signature);
        var unsigned = packet.Clone();
        unsigned.Signature = ByteString.Empty;
        Assert.True(gateway.PublicKey.Verify(unsigned.ToByteArray(), signature.Span));
        Assert.True(SignedMessages.Verify(packet, gateway.PublicKey));
        Assert.Equal(signature, packet.Signature); // verification leaves the message alone
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void SignedMessageSurvivesTheWire(HeliumKeyType keyType)
    {
        using var gateway = HeliumKeyPair.Generate(keyType, HeliumNetwork.TestNet);
        var packet = Packet(gateway.PublicKey);
        SignedMessages.Sign(packet, gateway, (p, s) => p.Signature = s);

        var received = packet_router_packet_up_v1.Parser.ParseFrom(packet.ToByteArray());
        var key = HeliumPublicKey.Parse(received.Gateway.Span);

        Assert.True(SignedMessages.Verify(received, key));
        Assert.True(SignedMessages.Verify(received, key, p => p.Signature, (p, s) => p.Signature = s));
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void SignatureOverUnknownFieldsVerifiesAfterReEncoding(HeliumKeyType keyType)
    {
        using var gateway = HeliumKeyPair.Generate(keyType, HeliumNetwork.MainNet);

        // A sender with a newer schema: the known fields plus field 20 (varint) and field 21 (bytes).
        var withUnknown = Packet(gateway.PublicKey).ToByteArray().Concat(new byte[] { 0xA0, 0x01, 0x2A, 0xAA, 0x01, 0x03, 0x01, 0x02, 0x03 }).ToArray();
        var parsed = packet_router_packet_up_v1.Parser.ParseFrom(withUnknown);
        Assert.Equal(withUnknown, parsed.ToByteArray());

        SignedMessages.Sign(parsed, gateway);
        var received = packet_router_packet_up_v1.Parser.ParseFrom(parsed.ToByteArray());

        Assert.True(SignedMessages.Verify(received, gateway.PublicKey));
        Assert.False(SignedMessages.Verify(Packet(gateway.PublicKey, received.Signature), gateway.PublicKey));
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void TamperedOrUnsignedMessagesFail(HeliumKeyType keyType)
    {
        using var gateway = HeliumKeyPair.Generate(keyType, HeliumNetwork.MainNet);
        using var impostor = HeliumKeyPair.Generate(keyType, HeliumNetwork.MainNet);
        var packet = Packet(gateway.PublicKey);
        SignedMessages.Sign(packet, gateway);

        var tampered = packet.Clone();
        tampered.Rssi += 1;
        Assert.False(SignedMessages.Verify(tampered, gateway.PublicKey));

        Assert.False(SignedMessages.Verify(packet, impostor.PublicKey));

        var unsigned = packet.Clone();
        unsigned.Signature = ByteString.Empty;
        Assert.False(SignedMessages.Verify(unsigned, gateway.PublicKey));

        var garbage = packet.Clone();
        garbage.Signature = ByteString.CopyFrom(1, 2, 3);
        Assert.False(SignedMessages.Verify(garbage, gateway.PublicKey));
    }

    [Fact]
    public void LargeMessagesAreSignedToo()
    {
        using var gateway = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var packet = Packet(gateway.PublicKey);
        packet.Payload = ByteString.CopyFrom(new byte[5000]);

        SignedMessages.Sign(packet, gateway);

        Assert.True(SignedMessages.Verify(packet_router_packet_up_v1.Parser.ParseFrom(packet.ToByteArray()), gateway.PublicKey));
    }

    [Fact]
    public void OtherSignedHeliumMessagesWorkByFieldName()
    {
        using var gateway = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        var register = new packet_router_register_v1
        {
            Timestamp = 1_700_000_000_000,
            Gateway = ByteString.CopyFrom(gateway.PublicKey.AsSpan()),
            SessionCapable = true,
        };

        SignedMessages.Sign(register, gateway);

        Assert.False(register.Signature.IsEmpty);
        Assert.True(SignedMessages.Verify(register, gateway.PublicKey));
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void VerifyingAnOwnedMessageInPlaceGivesTheSameAnswersAndPutsTheSignatureBack(HeliumKeyType keyType)
    {
        using var gateway = HeliumKeyPair.Generate(keyType, HeliumNetwork.MainNet);
        using var impostor = HeliumKeyPair.Generate(keyType, HeliumNetwork.MainNet);

        // With unknown fields, as a newer sender would send them.
        var withUnknown = Packet(gateway.PublicKey).ToByteArray().Concat(new byte[] { 0xA0, 0x01, 0x2A }).ToArray();
        var packet = packet_router_packet_up_v1.Parser.ParseFrom(withUnknown);
        SignedMessages.Sign(packet, gateway);
        var received = packet_router_packet_up_v1.Parser.ParseFrom(packet.ToByteArray());
        var wire = received.ToByteArray();

        Assert.True(SignedMessages.VerifyOwned(received, gateway.PublicKey, p => p.Signature, (p, s) => p.Signature = s));
        Assert.False(SignedMessages.VerifyOwned(received, impostor.PublicKey, p => p.Signature, (p, s) => p.Signature = s));
        Assert.Equal(wire, received.ToByteArray());

        received.Rssi++;
        Assert.False(SignedMessages.VerifyOwned(received, gateway.PublicKey, p => p.Signature, (p, s) => p.Signature = s));
        Assert.False(SignedMessages.VerifyOwned(Packet(gateway.PublicKey), gateway.PublicKey, p => p.Signature, (p, s) => p.Signature = s));
    }

    [Fact]
    public void MessageWithoutASignatureFieldIsAProgrammingError()
    {
        using var gateway = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);

        Assert.Throws<ArgumentException>(() => SignedMessages.Sign(new window_v1(), gateway));
        Assert.Throws<ArgumentException>(() => SignedMessages.Verify(new window_v1(), gateway.PublicKey));
    }

    private static packet_router_packet_up_v1 Packet(HeliumPublicKey gateway, ByteString? signature = null) => new()
    {
        Payload = ByteString.CopyFrom(Convert.FromHexString("40da1b012680050001e1d1f2a7")),
        Timestamp = 1_700_000_000_123,
        Rssi = -97,
        Frequency = 868_100_000,
        Snr = 7.25f,
        HoldTime = 42,
        Gateway = ByteString.CopyFrom(gateway.AsSpan()),
        Signature = signature ?? ByteString.Empty,
    };
}
