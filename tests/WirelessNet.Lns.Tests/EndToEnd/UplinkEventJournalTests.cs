using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Testing;

namespace WirelessNet.Lns.Tests.EndToEnd;

/// <summary>
/// An instance that claimed a frame's counter and stopped before its `up` event reached the broker: the event was
/// journaled with the claim, and a running instance publishes it, with its deduplicationId, on its next sweep.
/// </summary>
[Collection(MosquittoAndRedisCollection.Name)]
public sealed class UplinkEventJournalTests(RedisServerFixture redis)
{
    [Fact]
    public async Task The_event_of_a_frame_claimed_by_an_instance_that_stopped_is_published_by_another()
    {
        var prefix = "jr" + Guid.NewGuid().ToString("N")[..8];
        await using var server = await ServerUnderTest.StartAsync(null, redis.ConnectionString, prefix, new Dictionary<string, string?>
        {
            ["NetworkServer:EventJournalSweepInterval"] = "00:00:00.500",
        });

        var registry = server.Services.GetRequiredService<IDeviceRegistry>();
        var devEui = new Eui64(0x70B3D57ED00A0001);
        var profile = new DeviceProfile { Id = "jp", TenantId = "t1", Region = "eu868", MacVersion = MacVersion.LoRaWan1_0_4 };
        var device = new Device { DevEui = devEui, TenantId = "t1", ApplicationId = "app1", ProfileId = "jp", Name = "journaled" };
        await registry.PutProfileAsync(profile, default);
        await registry.PutDeviceAsync(device, default);
        var key = new AesKey(Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());
        var session = new DeviceSession
        {
            DevEui = devEui,
            DevAddr = new DevAddr(0x26012345),
            MacVersion = MacVersion.LoRaWan1_0_4,
            FNwkSIntKey = key,
            SNwkSIntKey = key,
            NwkSEncKey = key,
            AppSKey = key,
        };

        // The other instance, through its own connection: it claims FCnt 7 with the event and never publishes it.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var crashed = new RedisStore(connection, new RedisStoreOptions { KeyPrefix = prefix });
        await crashed.SaveActiveSessionAsync(session, default);
        var reception = new UplinkReception
        {
            GatewayId = new Eui64(0x00800000A0000001),
            PhyPayload = [0x40, 0x45, 0x23, 0x01, 0x26, 0, 7, 0, 5, 1, 2, 3, 1, 2, 3, 4],
            FrequencyHz = 868_100_000,
            Modulation = new LoRaModulation(7, 125_000),
            Rssi = -88,
            Snr = 6.5f,
            ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        };
        var lost = new DeviceUplinkEvent(Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(-1), device, profile, session.DevAddr, false, 5, 7, 5, false, [0xCA, 0xFE], [reception]);
        Assert.Equal(UplinkClaim.Accepted, await crashed.TryClaimUplinkAsync(session, fromPending: false, 7, JournaledUplinkEvent.Encode(lost), default));

        var up = await server.NextEventAsync(devEui, "up", TimeSpan.FromSeconds(30));
        Assert.Equal(lost.DeduplicationId.ToString(), up.GetProperty("deduplicationId").GetString());
        Assert.Equal(7u, up.GetProperty("fCnt").GetUInt32());
        Assert.Equal(5, up.GetProperty("fPort").GetInt32());
        Assert.Equal("yv4=", up.GetProperty("data").GetString());
        Assert.Equal("00800000a0000001", up.GetProperty("rxInfo")[0].GetProperty("gatewayId").GetString());

        // Published once: the entry is gone, and further sweeps publish nothing more.
        var sessions = server.Services.GetRequiredService<ISessionStore>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await sessions.ReadUplinkEventsAsync(DateTimeOffset.UtcNow.AddHours(1), 10_000, default)).Any(e => e.DevEui == devEui))
        {
            Assert.True(DateTime.UtcNow < deadline, "the journal entry was not removed after publishing");
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(server.TryTakeEvent(devEui, "up", out _));
    }
}
