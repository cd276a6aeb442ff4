using System.Collections.Immutable;
using WirelessNet.LoRaWan.Adr;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Devices;

/// <summary>
/// A device's network session: address, keys, counters and radio settings. OTAA joins create it pending; it
/// becomes active on the first data uplink that verifies with it (the device might never have received the
/// Join-Accept, and the previous session must keep working until then).
/// </summary>
public sealed record DeviceSession
{
    public required Eui64 DevEui { get; init; }

    public required DevAddr DevAddr { get; init; }

    public required MacVersion MacVersion { get; init; }

    /// <summary>Region configuration id of the device profile when the session was created.</summary>
    public string Region { get; init; } = "eu868";

    /// <summary>FNwkSIntKey (1.1) or NwkSKey (1.0).</summary>
    public required AesKey FNwkSIntKey { get; init; }

    /// <summary>SNwkSIntKey (1.1) or NwkSKey (1.0).</summary>
    public required AesKey SNwkSIntKey { get; init; }

    /// <summary>NwkSEncKey (1.1) or NwkSKey (1.0).</summary>
    public required AesKey NwkSEncKey { get; init; }

    public required AesKey AppSKey { get; init; }

    /// <summary>Last accepted uplink counter; null before the first uplink.</summary>
    public uint? FCntUp { get; init; }

    /// <summary>Next network downlink counter (1.1 NFCntDown; the only downlink counter of 1.0).</summary>
    public uint NFCntDown { get; init; }

    /// <summary>Next application downlink counter (1.1 only).</summary>
    public uint AFCntDown { get; init; }

    public bool Pending { get; init; }

    public int Rx1DrOffset { get; init; }

    public int Rx2DataRate { get; init; }

    public int Rx1DelaySeconds { get; init; } = 1;

    public int DataRate { get; init; }

    public int TxPowerIndex { get; init; }

    public int NbTrans { get; init; } = 1;

    /// <summary>Recent uplinks for ADR, oldest first, at most <see cref="DefaultAdrAlgorithm.HistoryLength"/>.</summary>
    public ImmutableArray<UplinkRecord> AdrHistory { get; init; } = [];

    /// <summary>A confirmed downlink the gateway transmitted and the device has yet to acknowledge (queue item id).</summary>
    public Guid? AwaitingAckQueueItemId { get; init; }

    /// <summary>The downlink counter of <see cref="AwaitingAckQueueItemId"/>.</summary>
    public uint AwaitingAckFCnt { get; init; }

    /// <summary>Settings sent in a LinkADRReq and not yet acknowledged by a LinkADRAns.</summary>
    public AdrDecision? PendingAdr { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// A new session of <paramref name="device"/> with LoRaWAN 1.1 keys, radio settings at their defaults (the caller
    /// sets join or activation specifics with <c>with</c>).
    /// </summary>
    public static DeviceSession Create(Device device, DeviceProfile profile, DevAddr devAddr, SessionKeys11 keys, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(profile);
        return new DeviceSession
        {
            DevEui = device.DevEui,
            DevAddr = devAddr,
            MacVersion = profile.MacVersion,
            Region = profile.Region,
            FNwkSIntKey = keys.FNwkSIntKey,
            SNwkSIntKey = keys.SNwkSIntKey,
            NwkSEncKey = keys.NwkSEncKey,
            AppSKey = keys.AppSKey,
            CreatedAt = createdAt,
        };
    }

    /// <summary>A new LoRaWAN 1.0.x session: the NwkSKey plays all three network-key roles.</summary>
    public static DeviceSession Create(Device device, DeviceProfile profile, DevAddr devAddr, SessionKeys10 keys, DateTimeOffset createdAt) =>
        Create(device, profile, devAddr, new SessionKeys11(keys.NwkSKey, keys.NwkSKey, keys.NwkSKey, keys.AppSKey), createdAt);

    /// <summary>The security context for MIC and encryption; build once per session version and cache.</summary>
    public SessionSecurity CreateSecurity() =>
        MacVersion.Is11()
            ? SessionSecurity.ForLoRaWan11(FNwkSIntKey, SNwkSIntKey, NwkSEncKey, AppSKey)
            : SessionSecurity.ForLoRaWan10(FNwkSIntKey, AppSKey);
}
