using System.Text.Json;
using System.Text.Json.Serialization;
using WirelessNet.Poc.Validation;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Lns.Poc;

/// <summary>One witness's verdict as stored and served. Reasons are Helium's invalid_reason names.</summary>
public sealed record PocWitnessRecord(
    string Witness,
    long ReceivedMs,
    string Reason,
    string Side,
    bool Selected,
    int SignalDeciDbm,
    int SnrDeciDb,
    ulong FrequencyHz);

/// <summary>A verified round as stored per epoch: the beacon's verdict and every witness's, in receive order.</summary>
public sealed record PocRoundRecord(
    string Id,
    string Beaconer,
    long BeaconReceivedMs,
    string BeaconReason,
    ulong FrequencyHz,
    IReadOnlyList<PocWitnessRecord> Witnesses)
{
    public const long EpochMs = 86_400_000;

    public bool IsBeaconValid => BeaconReason == ReasonName(InvalidReason.ReasonNone);

    public long EpochIndex => BeaconReceivedMs / EpochMs;

    /// <summary>Helium's name of a reason ("reason_none", "too_late", …).</summary>
    public static string ReasonName(InvalidReason reason) =>
        PocLoraReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("invalid_reason").FindValueByNumber((int)reason)?.Name
        ?? ((int)reason).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string SideName(ParticipantSide side) => side switch
    {
        ParticipantSide.Beacon => "beaconer",
        ParticipantSide.Witness => "witness",
        _ => "side_none",
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, PocJson.Default.PocRoundRecord);

    public static PocRoundRecord FromJson(byte[] json) =>
        JsonSerializer.Deserialize(json, PocJson.Default.PocRoundRecord) ?? throw new JsonException("Empty PoC round record.");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PocRoundRecord))]
[JsonSerializable(typeof(PocEntropyResponse))]
[JsonSerializable(typeof(IReadOnlyList<PocEntropyResponse>))]
[JsonSerializable(typeof(PocHotspotResponse))]
[JsonSerializable(typeof(IReadOnlyList<PocHotspotResponse>))]
[JsonSerializable(typeof(IReadOnlyList<PocChallengeResponse>))]
[JsonSerializable(typeof(PocChallengeResponse))]
[JsonSerializable(typeof(PocDenylistResponse))]
[JsonSerializable(typeof(PocErrorResponse))]
internal sealed partial class PocJson : JsonSerializerContext;

/// <summary>An entropy value (data base64, Unix seconds, version), as <c>entropy_report_v1</c>.</summary>
public sealed record PocEntropyResponse(string Data, long Timestamp, uint Version);

/// <summary>A participating hotspot: address, gateway, transport, last active, asserted cell and transmit scale (null: none).</summary>
public sealed record PocHotspotResponse(string Address, string GatewayId, string Transport, DateTimeOffset LastActive, string? Location, decimal? TransmitScale);

public sealed record PocChallengeResponse(string Hotspot, DateTimeOffset At, long Window);

public sealed record PocDenylistResponse(IReadOnlyList<string> Keys, IReadOnlyList<string> Edges);

public sealed record PocErrorResponse(string Error);
