namespace WirelessNet.Lns.Devices;

/// <summary>What a class of devices supports; devices reference a profile.</summary>
public sealed record DeviceProfile
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>Region configuration id, e.g. "eu868".</summary>
    public string Region { get; init; } = "eu868";

    public MacVersion MacVersion { get; init; } = MacVersion.LoRaWan1_0_4;

    public bool SupportsOtaa { get; init; } = true;

    /// <summary>Class C: queued downlinks may be sent immediately instead of waiting for an uplink.</summary>
    public bool SupportsClassC { get; init; }

    /// <summary>Gateway receptions of one uplink that are used (and paid for); 0 = all.</summary>
    public int MaxCopies { get; init; }
}
