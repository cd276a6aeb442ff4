using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Devices;

/// <summary>A provisioned end device with its root keys (OTAA) and its application.</summary>
public sealed record Device
{
    public required Eui64 DevEui { get; init; }

    public required string TenantId { get; init; }

    public required string ApplicationId { get; init; }

    public required string ProfileId { get; init; }

    public string Name { get; init; } = string.Empty;

    public Eui64 JoinEui { get; init; }

    /// <summary>AppKey: the root key of 1.0.x devices, the application root key of 1.1 devices.</summary>
    public AesKey? AppKey { get; init; }

    /// <summary>NwkKey of 1.1 devices (absent for 1.0.x).</summary>
    public AesKey? NwkKey { get; init; }

    public bool Disabled { get; init; }

    /// <summary>
    /// Where the device is installed, when it does not move and the operator knows it: every uplink's receptions then
    /// count as measured coverage at this position (mapper devices report their own position instead).
    /// </summary>
    public GeoLocation? Location { get; init; }
}
