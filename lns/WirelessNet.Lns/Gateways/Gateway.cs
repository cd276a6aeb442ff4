using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Gateways;

/// <summary>A provisioned gateway (hotspot). Only provisioned gateways' receptions are processed.</summary>
public sealed record Gateway
{
    public required Eui64 GatewayId { get; init; }

    public required string TenantId { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>Region configuration id, e.g. "eu868".</summary>
    public string Region { get; init; } = "eu868";

    /// <summary>Asserted location.</summary>
    public GeoLocation? Location { get; init; }

    /// <summary>Antenna gain in dBi × 10, as Helium records it.</summary>
    public int AntennaGainDbi10 { get; init; }

    /// <summary>Antenna elevation above ground, metres.</summary>
    public int ElevationMetres { get; init; }

    /// <summary>Denied gateways are known but their traffic is rejected.</summary>
    public bool Denied { get; init; }

    /// <summary>
    /// For a Helium hotspot: its public key as a base58check address. Its <see cref="GatewayId"/> is derived from the
    /// key (see <c>HeliumGatewayIds</c>); null for other gateways.
    /// </summary>
    public string? HeliumAddress { get; init; }
}
