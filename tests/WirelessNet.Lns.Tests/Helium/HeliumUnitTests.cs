using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium;

namespace WirelessNet.Lns.Tests.Helium;

public sealed class HeliumDataRatesTests
{
    [Theory]
    [InlineData(data_rate.Sf12Bw125, 12, 125_000)]
    [InlineData(data_rate.Sf7Bw125, 7, 125_000)]
    [InlineData(data_rate.Sf10Bw250, 10, 250_000)]
    [InlineData(data_rate.Sf8Bw500, 8, 500_000)]
    [InlineData(data_rate.Sf7Bw500, 7, 500_000)]
    public void LoRa_data_rates_map_both_ways(data_rate dataRate, int spreadingFactor, int bandwidth)
    {
        Assert.True(HeliumDataRates.TryGetModulation(dataRate, out var modulation));
        Assert.Equal(new LoRaModulation(spreadingFactor, bandwidth), modulation);
        Assert.True(HeliumDataRates.TryGetDataRate(modulation, out var back));
        Assert.Equal(dataRate, back);
    }

    [Fact]
    public void All_lora_values_round_trip()
    {
        for (var value = 0; value <= 17; value++)
        {
            Assert.True(HeliumDataRates.TryGetModulation((data_rate)value, out var modulation));
            Assert.True(HeliumDataRates.TryGetDataRate(modulation, out var back));
            Assert.Equal(value, (int)back);
        }
    }

    [Theory]
    [InlineData(data_rate.Lrfhss1Bw137)]
    [InlineData(data_rate.Lrfhss2Bw1523)]
    [InlineData(data_rate.Fsk50)]
    [InlineData((data_rate)99)]
    public void Lr_fhss_fsk_and_unknown_values_are_not_lora(data_rate dataRate) =>
        Assert.False(HeliumDataRates.TryGetModulation(dataRate, out _));

    [Fact]
    public void Modulations_without_a_helium_data_rate_are_refused()
    {
        Assert.False(HeliumDataRates.TryGetDataRate(new LoRaModulation(6, 125_000), out _));
        Assert.False(HeliumDataRates.TryGetDataRate(new LoRaModulation(7, 62_500), out _));
    }
}

public sealed class HeliumGatewayIdsTests
{
    [Fact]
    public void The_id_is_the_first_eight_bytes_of_the_keys_sha256_big_endian()
    {
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var expected = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(key.PublicKey.AsSpan()));
        Assert.Equal(new Eui64(expected), HeliumGatewayIds.FromPublicKey(key.PublicKey));
        Assert.Equal(HeliumGatewayIds.FromPublicKey(key.PublicKey), HeliumGatewayIds.FromPublicKey(HeliumPublicKey.Parse(key.PublicKey.ToBytes())));
    }

    [Fact]
    public void Different_keys_have_different_ids()
    {
        using var a = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var b = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        Assert.NotEqual(HeliumGatewayIds.FromPublicKey(a.PublicKey), HeliumGatewayIds.FromPublicKey(b.PublicKey));
    }
}

public sealed class HeliumGatewayStreamsTests
{
    private static readonly Eui64 GatewayId = Eui64.Parse("0102030405060708");

    [Fact]
    public async Task Sending_to_a_gateway_without_a_stream_throws_a_clear_exception()
    {
        using var metrics = new HeliumMetrics();
        var streams = new HeliumGatewayStreams(metrics, NullLogger<HeliumGatewayStreams>.Instance);
        var error = await Assert.ThrowsAsync<HeliumGatewayNotConnectedException>(
            async () => await streams.SendAsync(ClassA(100), GatewayTransport.HeliumGrpc, default));
        Assert.Equal(GatewayId, error.GatewayId);
        Assert.Contains("no route stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_transports_are_refused()
    {
        using var metrics = new HeliumMetrics();
        var streams = new HeliumGatewayStreams(metrics, NullLogger<HeliumGatewayStreams>.Instance);
        await Assert.ThrowsAsync<ArgumentException>(async () => await streams.SendAsync(ClassA(100), GatewayTransport.MqttJson, default));
    }

    [Fact]
    public void Class_a_items_become_rx1_and_rx2_windows_on_the_gateway_clock()
    {
        var envelope = HeliumGatewayStreams.ToEnvelope(ClassA(1_000));
        var down = envelope.Packet;
        Assert.Equal([0x60, 1, 2], down.Payload.ToByteArray());
        Assert.Equal(1_000 + 1_000_000ul, down.Rx1.Timestamp);
        Assert.Equal(868_100_000u, down.Rx1.Frequency);
        Assert.Equal(data_rate.Sf7Bw125, down.Rx1.Datarate);
        Assert.False(down.Rx1.Immediate);
        Assert.Equal(1_000 + 2_000_000ul, down.Rx2.Timestamp);
        Assert.Equal(869_525_000u, down.Rx2.Frequency);
        Assert.Equal(data_rate.Sf12Bw125, down.Rx2.Datarate);
    }

    [Fact]
    public void Immediate_items_are_sent_immediately_and_untimed_delays_are_refused()
    {
        var immediate = new DownlinkTransmission(GatewayId, 1, [new DownlinkItem([0x60], 869_525_000, 14, new LoRaModulation(9, 125_000), new DownlinkTiming.Immediately(), [])]);
        Assert.True(HeliumGatewayStreams.ToEnvelope(immediate).Packet.Rx1.Immediate);

        var untimed = new DownlinkTransmission(GatewayId, 1, [new DownlinkItem([0x60], 869_525_000, 14, new LoRaModulation(9, 125_000), new DownlinkTiming.Delay(TimeSpan.FromSeconds(1)), [])]);
        Assert.Throws<ArgumentException>(() => HeliumGatewayStreams.ToEnvelope(untimed));
    }

    private static DownlinkTransmission ClassA(ulong uplinkTimestamp) => new(
        GatewayId,
        7,
        [
            new DownlinkItem([0x60, 1, 2], 868_100_000, 14, new LoRaModulation(7, 125_000), new DownlinkTiming.Delay(TimeSpan.FromSeconds(1)), []) { GatewayTimestampMicros = uplinkTimestamp + 1_000_000 },
            new DownlinkItem([0x60, 1, 2], 869_525_000, 27, new LoRaModulation(12, 125_000), new DownlinkTiming.Delay(TimeSpan.FromSeconds(2)), []) { GatewayTimestampMicros = uplinkTimestamp + 2_000_000 },
        ]);
}

public sealed class TransportDownlinkRouterTests
{
    [Fact]
    public async Task Each_transport_goes_to_its_own_sender()
    {
        var mqtt = new RecordingSender();
        var helium = new RecordingSender();
        var router = new TransportDownlinkRouter(t => t == GatewayTransport.HeliumGrpc ? helium : mqtt);
        var transmission = new DownlinkTransmission(Eui64.Parse("0102030405060708"), 1, []);

        await router.SendAsync(transmission, GatewayTransport.MqttProtobuf, default);
        await router.SendAsync(transmission, GatewayTransport.MqttJson, default);
        await router.SendAsync(transmission, GatewayTransport.HeliumGrpc, default);

        Assert.Equal([GatewayTransport.MqttProtobuf, GatewayTransport.MqttJson], mqtt.Transports);
        Assert.Equal([GatewayTransport.HeliumGrpc], helium.Transports);
    }

    [Fact]
    public async Task A_transport_without_a_sender_fails_clearly()
    {
        var router = new TransportDownlinkRouter(_ => null);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await router.SendAsync(new DownlinkTransmission(default, 1, []), GatewayTransport.HeliumGrpc, default));
        Assert.Contains("HeliumGrpc", error.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingSender : IGatewayDownlinkSender
    {
        public List<GatewayTransport> Transports { get; } = [];

        public ValueTask SendAsync(DownlinkTransmission transmission, GatewayTransport transport, CancellationToken cancellationToken)
        {
            Transports.Add(transport);
            return ValueTask.CompletedTask;
        }
    }
}

public sealed class RateLimitTests
{
    [Fact]
    public void Token_bucket_allows_a_burst_then_the_refill_rate()
    {
        var time = new SteppingClock();
        var bucket = new TokenBucket(2, 3, time);
        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void Same_payload_is_allowed_once_per_interval()
    {
        var time = new SteppingClock();
        var limit = new RepeatedPayloadLimit(1, time);
        byte[] a = [1, 2, 3];
        byte[] b = [4, 5, 6];
        Assert.True(limit.TryAccept(a));
        Assert.False(limit.TryAccept(a));
        Assert.True(limit.TryAccept(b));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limit.TryAccept(a));
    }
}

/// <summary>A monotonic clock that moves only when told (the limits use timestamps, not wall-clock time).</summary>
internal sealed class SteppingClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan duration) => Interlocked.Add(ref _ticks, duration.Ticks);
}
