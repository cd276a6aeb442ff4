using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using WirelessNet.Helium.Crypto;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Benchmarks.Helium;

/// <summary>
/// The packet router's per-packet signature check on a received <c>packet_router_packet_up_v1</c> (a 23-byte
/// uplink, signed with an ed25519 session key): clear the signature, re-encode, verify. The owned variant does it in
/// place (what the gRPC door does, the packet being its read loop's own); the other clones first.
/// </summary>
[MemoryDiagnoser]
public class HeliumPacketVerifyBenchmarks
{
    private packet_router_packet_up_v1 _packet = null!;
    private HeliumPublicKey _session = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var gateway = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var session = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var packet = new packet_router_packet_up_v1
        {
            Payload = ByteString.CopyFrom(Convert.FromHexString("40f17dbe4900020001954378762b11ff0d4c6f7261")),
            Timestamp = 3_000_000_000,
            Rssi = -97,
            Frequency = 868_100_000,
            Datarate = data_rate.Sf7Bw125,
            Snr = 7.25f,
            Region = region.Eu868,
            Gateway = ByteString.CopyFrom(gateway.PublicKey.AsSpan()),
        };
        SignedMessages.Sign(packet, session);

        // As received: parsed from the wire.
        _packet = packet_router_packet_up_v1.Parser.ParseFrom(packet.ToByteArray());
        _session = HeliumPublicKey.Parse(session.PublicKey.AsSpan());
        if (!VerifyOwned() || !VerifyCloned())
        {
            throw new InvalidOperationException("Setup packet does not verify.");
        }
    }

    [Benchmark(Baseline = true, Description = "packet_up verify, in place (owned)")]
    public bool VerifyOwned() => SignedMessages.VerifyOwned(_packet, _session, p => p.Signature, (p, s) => p.Signature = s);

    [Benchmark(Description = "packet_up verify, on a clone")]
    public bool VerifyCloned() => SignedMessages.Verify(_packet, _session, p => p.Signature, (p, s) => p.Signature = s);
}
