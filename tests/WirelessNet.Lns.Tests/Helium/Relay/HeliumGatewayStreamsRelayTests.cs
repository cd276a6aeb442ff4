using Microsoft.Extensions.Logging.Abstractions;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Helium.Relay;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Tests.Helium.Relay;

/// <summary>How the stream registry uses the relay: local first, then forward; claims follow the streams.</summary>
public sealed class HeliumGatewayStreamsRelayTests
{
    private static readonly Eui64 GatewayId = Eui64.Parse("0a0b0c0d0e0f1011");

    [Fact]
    public async Task Without_a_local_stream_the_downlink_is_forwarded_and_refused_only_when_nobody_holds_one()
    {
        using var metrics = new HeliumMetrics();
        var relay = new RecordingRelay { Forwarded = true };
        var streams = new HeliumGatewayStreams(metrics, NullLogger<HeliumGatewayStreams>.Instance, relay);

        await streams.SendAsync(ClassA(), GatewayTransport.HeliumGrpc, default);
        var (gateway, downlinkId, envelope) = Assert.Single(relay.Forwards);
        Assert.Equal(GatewayId, gateway);
        Assert.Equal(7u, downlinkId);
        Assert.Equal(5_000_000ul, envelope.Packet.Rx1.Timestamp);

        relay.Forwarded = false;
        await Assert.ThrowsAsync<HeliumGatewayNotConnectedException>(async () => await streams.SendAsync(ClassA(), GatewayTransport.HeliumGrpc, default));

        // Redis trouble is a failed send, never a crash of the caller's pipeline with a Redis exception.
        relay.Failure = new TimeoutException("Redis timed out");
        await Assert.ThrowsAsync<HeliumGatewayNotConnectedException>(async () => await streams.SendAsync(ClassA(), GatewayTransport.HeliumGrpc, default));
    }

    [Fact]
    public async Task A_local_stream_is_used_first_claimed_while_attached_and_released_when_it_ends()
    {
        using var metrics = new HeliumMetrics();
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var relay = new RecordingRelay { Forwarded = true };
        var streams = new HeliumGatewayStreams(metrics, NullLogger<HeliumGatewayStreams>.Instance, relay);
        using var stream = new HeliumRouteStream(GatewayId, key.PublicKey, 8);

        await streams.AttachAsync(stream, default);
        Assert.Equal([GatewayId], relay.Claims);
        await streams.SendAsync(ClassA(), GatewayTransport.HeliumGrpc, default);
        Assert.Empty(relay.Forwards);
        Assert.True(stream.Outbox.TryRead(out var local));
        Assert.Equal(7u, local.DownlinkId);

        // A downlink relayed from another instance goes to the same stream, with its id for the acknowledgement.
        streams.DeliverRelayed(GatewayId, 9, HeliumGatewayStreams.ToEnvelope(ClassA()));
        Assert.True(stream.Outbox.TryRead(out var relayed));
        Assert.Equal(9u, relayed.DownlinkId);

        await streams.DetachAsync(stream);
        Assert.Equal([GatewayId], relay.Releases);
        Assert.False(streams.IsConnected(GatewayId));

        // Once gone, a relayed downlink is dropped (and counted), not thrown at the relay's listener.
        streams.DeliverRelayed(GatewayId, 10, HeliumGatewayStreams.ToEnvelope(ClassA()));
    }

    [Fact]
    public async Task A_release_ends_only_a_stream_older_than_the_claim_elsewhere()
    {
        using var metrics = new HeliumMetrics();
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var streams = new HeliumGatewayStreams(metrics, NullLogger<HeliumGatewayStreams>.Instance, new RecordingRelay());
        using var stream = new HeliumRouteStream(GatewayId, key.PublicKey, 8);
        await streams.AttachAsync(stream, default);
        var attached = stream.AttachedAt.ToUnixTimeMilliseconds();

        streams.ReleaseLocal(GatewayId, attached - 1);
        Assert.False(stream.WasReplaced);
        streams.ReleaseLocal(GatewayId, attached + 1);
        Assert.True(stream.WasReplaced);
    }

    private static DownlinkTransmission ClassA() => new(
        GatewayId,
        7,
        [new DownlinkItem([0x20, 1, 2], 868_100_000, 14, new LoRaModulation(7, 125_000), new DownlinkTiming.Delay(TimeSpan.FromSeconds(5)), []) { GatewayTimestampMicros = 5_000_000 }]);

    private sealed class RecordingRelay : IHeliumStreamRelay
    {
        public bool Forwarded { get; set; }

        public Exception? Failure { get; set; }

        public List<Eui64> Claims { get; } = [];

        public List<Eui64> Releases { get; } = [];

        public List<(Eui64 GatewayId, uint DownlinkId, envelope_down_v1 Envelope)> Forwards { get; } = [];

        public ValueTask ClaimAsync(Eui64 gatewayId, DateTimeOffset attachedAt, CancellationToken cancellationToken)
        {
            Claims.Add(gatewayId);
            return ValueTask.CompletedTask;
        }

        public ValueTask ReleaseAsync(Eui64 gatewayId, DateTimeOffset attachedAt, CancellationToken cancellationToken)
        {
            Releases.Add(gatewayId);
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryForwardAsync(Eui64 gatewayId, uint downlinkId, envelope_down_v1 envelope, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            if (Forwarded)
            {
                Forwards.Add((gatewayId, downlinkId, envelope));
            }

            return ValueTask.FromResult(Forwarded);
        }
    }
}
