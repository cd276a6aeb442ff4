using System.Collections.Immutable;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Adr;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Storage;

/// <summary>Records for the store tests. Identifiers are unique per process, so tests sharing one Redis never collide.</summary>
internal static class StoreTestData
{
    private static long _lastId;

    public static Eui64 NewEui() => new(0x70B3_D57E_D000_0000UL + (ulong)Interlocked.Increment(ref _lastId));

    public static DevAddr NewDevAddr() => new(0x2600_0000u + (uint)Interlocked.Increment(ref _lastId));

    public static AesKey Key(byte seed)
    {
        var bytes = new byte[AesKey.Size];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(seed + (i * 17));
        }

        return new AesKey(bytes);
    }

    public static DeviceSession Session(Eui64 devEui, DevAddr devAddr, MacVersion macVersion = MacVersion.LoRaWan1_0_4, uint? fCntUp = null) => new()
    {
        DevEui = devEui,
        DevAddr = devAddr,
        MacVersion = macVersion,
        FNwkSIntKey = Key(1),
        SNwkSIntKey = Key(2),
        NwkSEncKey = Key(3),
        AppSKey = Key(4),
        FCntUp = fCntUp,
        NFCntDown = 7,
        AFCntDown = 3,
        Rx1DrOffset = 1,
        Rx2DataRate = 3,
        Rx1DelaySeconds = 5,
        DataRate = 5,
        TxPowerIndex = 2,
        NbTrans = 2,
        AdrHistory = [new UplinkRecord(10, 7.5f, 0), new UplinkRecord(11, -3.25f, 1)],
        CreatedAt = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero),
    };

    public static QueuedDownlink Downlink(Eui64 devEui, int fPort, params byte[] data) => new()
    {
        Id = Guid.NewGuid(),
        DevEui = devEui,
        FPort = fPort,
        Data = data,
        Confirmed = fPort % 2 == 0,
        EnqueuedAt = new DateTimeOffset(2026, 11, 26, 6, 30, 0, TimeSpan.Zero),
    };

    public static Device DeviceRecord(Eui64 devEui) => new()
    {
        DevEui = devEui,
        TenantId = "tenant-1",
        ApplicationId = "app-1",
        ProfileId = "profile-eu868",
        Name = "sensor 1",
        JoinEui = new Eui64(0x0102_0304_0506_0708),
        AppKey = Key(9),
        NwkKey = null,
    };

    public static Gateway GatewayRecord(Eui64 gatewayId) => new()
    {
        GatewayId = gatewayId,
        TenantId = "tenant-1",
        Name = "hotspot",
        Region = "us915",
        Location = new GeoLocation(52.37, 4.89, 12),
        AntennaGainDbi10 = 32,
        ElevationMetres = 15,
    };

    /// <summary>Session fields compared one by one: the record's own equality compares the ADR history by reference.</summary>
    public static void AssertSameSession(DeviceSession expected, DeviceSession? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { AdrHistory = ImmutableArray<UplinkRecord>.Empty }, actual with { AdrHistory = ImmutableArray<UplinkRecord>.Empty });
        Assert.Equal(expected.AdrHistory.AsEnumerable(), actual.AdrHistory.AsEnumerable());
    }
}
