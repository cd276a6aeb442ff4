using StackExchange.Redis;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Lns.Tests.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Lns.Tests.Metering;

/// <summary>
/// What every meter must do, run against the in-memory and the Redis meter: exact totals under concurrent records
/// (from several meter instances sharing a store, as several server instances do), per-gateway copies, bounded reports.
/// </summary>
public abstract class PacketMeterContractTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Hour = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Meters that share one backing store (one for in-memory: it cannot be shared across processes).</summary>
    protected abstract IReadOnlyList<IPacketMeter> CreateMeters(MeteringOptions options);

    protected string Tenant { get; } = "tenant-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Concurrent_records_add_up_exactly()
    {
        var meters = CreateMeters(new MeteringOptions { MaxReports = 10_000 });
        var gatewayA = new Eui64(0xA1);
        var gatewayB = new Eui64(0xB2);
        const int Frames = 400;

        await Parallel.ForAsync(0, Frames, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            // Half the frames fall in the next hour, half are heard by two gateways.
            var hour = i % 2 == 0 ? Hour.AddMinutes(i % 60) : Hour.AddHours(1).AddMinutes(5);
            Eui64[] gateways = i % 4 < 2 ? [gatewayA, gatewayB] : [gatewayA];
            var size = 10 + (i % 50);
            var packet = new MeteredPacket(
                Tenant,
                hour,
                gateways.Length,
                (long)size * gateways.Length,
                DataCredits.ForPayload(size) * gateways.Length,
                gateways,
                gateways.Select(_ => new packet_router_packet_report_v1 { PayloadSize = (uint)size }).ToArray());
            await meters[i % meters.Count].RecordAsync(packet, ct);
        });

        // The expected totals, computed the same way without concurrency.
        long copies0 = 0, bytes0 = 0, dc0 = 0, copies1 = 0, bytes1 = 0, dc1 = 0, b0 = 0;
        for (var i = 0; i < Frames; i++)
        {
            var n = i % 4 < 2 ? 2 : 1;
            var size = 10 + (i % 50);
            if (i % 2 == 0)
            {
                copies0 += n;
                bytes0 += size * n;
                dc0 += DataCredits.ForPayload(size) * n;
                b0 += n == 2 ? 1 : 0;
            }
            else
            {
                copies1 += n;
                bytes1 += size * n;
                dc1 += DataCredits.ForPayload(size) * n;
            }
        }

        foreach (var meter in meters)
        {
            var hours = await meter.GetTenantHoursAsync(Tenant, Hour, Hour.AddHours(5), None);
            Assert.Equal(2, hours.Count);
            Assert.Equal(new MeterHour(Hour, copies0, bytes0, dc0), hours[0]);
            Assert.Equal(new MeterHour(Hour.AddHours(1), copies1, bytes1, dc1), hours[1]);
            Assert.Equal(Frames / 2, await meter.GetGatewayCopiesAsync(gatewayA, Hour.AddMinutes(30), None));
            Assert.Equal(b0, await meter.GetGatewayCopiesAsync(gatewayB, Hour, None));
            Assert.Equal(0, await meter.GetGatewayCopiesAsync(new Eui64(0xCC), Hour, None));
            Assert.Equal((int)(copies0 + copies1), (await meter.GetRecentReportsAsync(10_000, None)).Count);
        }
    }

    [Fact]
    public async Task Hours_outside_the_range_and_other_tenants_are_not_returned()
    {
        var meter = CreateMeters(new MeteringOptions())[0];
        await meter.RecordAsync(Packet(Tenant, Hour.AddHours(-2)), None);
        await meter.RecordAsync(Packet(Tenant, Hour), None);
        await meter.RecordAsync(Packet(Tenant + "-other", Hour), None);

        var hours = await meter.GetTenantHoursAsync(Tenant, Hour.AddMinutes(-59), Hour.AddHours(3), None);

        Assert.Equal(new MeterHour(Hour, 1, 5, 1), Assert.Single(hours));
    }

    [Fact]
    public async Task Gateway_hours_hold_the_copies_bytes_and_credits_each_gateway_delivered()
    {
        var meter = CreateMeters(new MeteringOptions())[0];
        var a = new Eui64(0x6A01);
        var b = new Eui64(0x6B02);

        // A 30-byte frame heard by both (2 DC a copy), a 10-byte frame by a alone (1 DC), a frame an hour later.
        await meter.RecordAsync(new MeteredPacket(Tenant, Hour, 2, 60, 4, [a, b], []), None);
        await meter.RecordAsync(new MeteredPacket(Tenant, Hour.AddMinutes(10), 1, 10, 1, [a], []), None);
        await meter.RecordAsync(new MeteredPacket(Tenant, Hour.AddHours(1), 1, 50, 3, [b], []), None);

        Assert.Equal([new MeterHour(Hour, 2, 40, 3)], await meter.GetGatewayHoursAsync(a, Hour, Hour.AddHours(2), None));
        Assert.Equal(
            [new MeterHour(Hour, 1, 30, 2), new MeterHour(Hour.AddHours(1), 1, 50, 3)],
            await meter.GetGatewayHoursAsync(b, Hour.AddMinutes(-30), Hour.AddHours(1), None));
        Assert.Empty(await meter.GetGatewayHoursAsync(b, Hour.AddHours(2), Hour.AddHours(5), None));
    }

    [Fact]
    public async Task Reports_are_kept_newest_last_and_bounded()
    {
        var meter = CreateMeters(new MeteringOptions { MaxReports = 5 })[0];
        for (var i = 0; i < 20; i++)
        {
            await meter.RecordAsync(Packet(Tenant, Hour, payloadSize: (uint)i), None);
        }

        var recent = await meter.GetRecentReportsAsync(3, None);
        Assert.Equal([17u, 18u, 19u], recent.Select(r => r.PayloadSize));

        // The Redis stream is trimmed approximately (MAXLEN ~): bounded, not exact.
        var all = await meter.GetRecentReportsAsync(1000, None);
        Assert.InRange(all.Count, 5, 20);
        Assert.Equal(19u, all[^1].PayloadSize);
    }

    private static MeteredPacket Packet(string tenant, DateTimeOffset hour, uint payloadSize = 5) =>
        new(tenant, hour, 1, 5, 1, [new Eui64(1)], [new packet_router_packet_report_v1 { PayloadSize = payloadSize }]);
}

public sealed class InMemoryPacketMeterTests : PacketMeterContractTests
{
    protected override IReadOnlyList<IPacketMeter> CreateMeters(MeteringOptions options) => [new InMemoryPacketMeter(options)];

    [Fact]
    public async Task Reports_are_bounded_exactly()
    {
        var meter = new InMemoryPacketMeter(new MeteringOptions { MaxReports = 5 });
        for (var i = 0; i < 20; i++)
        {
            await meter.RecordAsync(new MeteredPacket(Tenant, DateTimeOffset.UtcNow, 1, 1, 1, [new Eui64(1)], [new packet_router_packet_report_v1()]), default);
        }

        Assert.Equal(5, (await meter.GetRecentReportsAsync(100, default)).Count);
    }
}

[Collection(RedisStoreCollection.Name)]
public sealed class RedisPacketMeterTests(RedisStoreFixture fixture) : PacketMeterContractTests
{
    // A prefix per test: tests see none of each other's keys without flushing the shared server.
    private readonly string _prefix = "wnm" + Guid.NewGuid().ToString("N")[..12];

    // Two meters on one Redis: two server instances recording concurrently.
    protected override IReadOnlyList<IPacketMeter> CreateMeters(MeteringOptions options) =>
    [
        new RedisPacketMeter(fixture.Connection, new RedisStoreOptions { KeyPrefix = _prefix }, options),
        new RedisPacketMeter(fixture.Connection, new RedisStoreOptions { KeyPrefix = _prefix }, options),
    ];

    [Fact]
    public async Task Keys_follow_the_documented_schema_with_hash_tags_and_expire()
    {
        var meter = new RedisPacketMeter(fixture.Connection, new RedisStoreOptions { KeyPrefix = _prefix }, new MeteringOptions { Retention = TimeSpan.FromDays(2) });
        var hour = new DateTimeOffset(2026, 11, 26, 8, 15, 0, TimeSpan.Zero);
        var report = new packet_router_packet_report_v1 { PayloadSize = 30, Oui = 4 };
        await meter.RecordAsync(new MeteredPacket("t1", hour, 1, 30, 2, [new Eui64(0xAB)], [report]), default);

        var db = fixture.Connection.GetDatabase();
        var tenantKey = (RedisKey)$"{_prefix}:{{meter:t1:2026112608}}";
        Assert.Equal(1, (long)await db.HashGetAsync(tenantKey, "copies"));
        Assert.Equal(30, (long)await db.HashGetAsync(tenantKey, "bytes"));
        Assert.Equal(2, (long)await db.HashGetAsync(tenantKey, "dc"));
        Assert.InRange((await db.KeyTimeToLiveAsync(tenantKey))!.Value, TimeSpan.FromDays(1.9), TimeSpan.FromDays(2));
        Assert.Equal(1, (long)await db.HashGetAsync($"{_prefix}:{{gwmeter:00000000000000ab:2026112608}}", "copies"));

        var entries = await db.StreamRangeAsync($"{_prefix}:{{packet-reports}}");
        var entry = Assert.Single(entries);
        Assert.Equal(report, packet_router_packet_report_v1.Parser.ParseFrom((byte[])entry["r"]!));
    }
}
