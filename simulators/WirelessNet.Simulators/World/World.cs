using System.Text.Json;
using System.Text.Json.Serialization;
using WirelessNet.Simulators.Rf;

namespace WirelessNet.Simulators.World;

/// <summary>A simulated hotspot: where it stands, what its radio looks like and how it talks to the server.</summary>
/// <param name="Transport"><see cref="HotspotTransports"/>: ChirpStack bridge over MQTT (protobuf or JSON), or the
/// Helium packet router over gRPC.</param>
/// <param name="HeliumKeyType">For Helium hotspots: <c>ed25519</c> or <c>p256</c>; the key derives from the world
/// seed and the hotspot's index (<see cref="WorldGenerator.HeliumKey"/>), and <see cref="GatewayId"/> from the key.</param>
public sealed record WorldHotspot(
    string GatewayId,
    double Latitude,
    double Longitude,
    double AntennaGainDbi,
    double HeightMetres,
    bool Indoor,
    string Transport,
    string? HeliumKeyType = null)
{
    /// <summary>How this hotspot cheats at proof of coverage; null for an honest hotspot (and in older world files).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WorldCheat? Cheat { get; init; }

    /// <summary>Where the hotspot says it is (what it is provisioned with): its radio position unless it cheats.</summary>
    public (double Latitude, double Longitude) AssertedLocation() =>
        Cheat is null ? (Latitude, Longitude) : (Cheat.AssertedLatitude, Cheat.AssertedLongitude);
}

/// <summary>
/// A proof-of-coverage cheat (<see cref="CheatProfiles"/>). The hotspot's <see cref="WorldHotspot.Latitude"/> and
/// <see cref="WorldHotspot.Longitude"/> stay where its radio is; the asserted location is what it is provisioned with.
/// </summary>
/// <param name="Cluster">For <see cref="CheatProfiles.SelfWitnessingCluster"/>: the group whose members witness each
/// other (1, 2, …); 0 otherwise.</param>
public sealed record WorldCheat(string Profile, double AssertedLatitude, double AssertedLongitude, int Cluster = 0);

/// <summary>The cheats a world's hotspots can carry, and what each one does in a city run.</summary>
public static class CheatProfiles
{
    /// <summary>The radio is in the city, the asserted location far away (beyond PoC's 100 km witness range).</summary>
    public const string FalseLocation = "false-location";

    /// <summary>The radio is far away, the asserted location in the city; it reports every beacon it learns of as a
    /// witness with a made-up strong signal.</summary>
    public const string WitnessStuffing = "witness-stuffing";

    /// <summary>Members are co-located far away, assert spread-out city locations, and witness each other's beacons
    /// (strongly, as radios next to each other hear) and nothing else.</summary>
    public const string SelfWitnessingCluster = "self-witnessing-cluster";

    /// <summary>The radio is far away, the asserted location in the city; it gets beacons from a colluder and sends
    /// them on as its witness after PoC's timing window.</summary>
    public const string LateReplay = "late-replay";

    public static IReadOnlyList<string> All { get; } = [FalseLocation, WitnessStuffing, SelfWitnessingCluster, LateReplay];
}

/// <summary>
/// A carrier's radio in the world: a CBRS cell or a Wi-Fi access point that carries subscribers' data sessions and is
/// rewarded through offload. Its Helium key derives from the world seed and its index
/// (<see cref="WorldGenerator.CarrierRadioKey"/>).
/// </summary>
/// <param name="Kind"><see cref="CarrierRadioKinds"/>.</param>
/// <param name="HeliumKeyType"><c>ed25519</c> or <c>p256</c>.</param>
/// <param name="Subscribers">Subscribers attached to it; its share of the carrier's sessions follows.</param>
public sealed record WorldCarrierRadio(
    string CarrierId,
    string Kind,
    double Latitude,
    double Longitude,
    string HeliumKeyType,
    int Subscribers);

/// <summary>The carrier radio kinds a world can hold.</summary>
public static class CarrierRadioKinds
{
    public const string Cbrs = "cbrs";
    public const string Wifi = "wifi";
}

/// <summary>The hotspot transports a world can hold.</summary>
public static class HotspotTransports
{
    public const string Mqtt = "mqtt";
    public const string MqttJson = "mqtt-json";
    public const string HeliumGrpc = "helium-grpc";
}

/// <summary>A simulated end device with its OTAA root keys (hex) and position.</summary>
public sealed record WorldDevice(
    int Seed,
    double Latitude,
    double Longitude,
    bool Mapper,
    bool Lorawan11);

/// <summary>
/// A reproducible radio world: a city centre, hotspots placed on H3 cells (dense core, sparse edge), devices, and the
/// propagation environment. Everything derives from <see cref="Seed"/>; worlds are saved and loaded as JSON.
/// </summary>
public sealed record RadioWorldDefinition(
    int Seed,
    double CentreLatitude,
    double CentreLongitude,
    double RadiusKm,
    PropagationEnvironment Environment,
    IReadOnlyList<WorldHotspot> Hotspots,
    IReadOnlyList<WorldDevice> Devices)
{
    /// <summary>Carrier radios (CBRS cells, Wi-Fi access points); empty in worlds saved before they existed.</summary>
    public IReadOnlyList<WorldCarrierRadio> CarrierRadios { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RadioWorldDefinition FromJson(string json)
    {
        var world = JsonSerializer.Deserialize<RadioWorldDefinition>(json, Json) ?? throw new JsonException("The world file is empty.");
        return world.CarrierRadios is null ? world with { CarrierRadios = [] } : world;
    }
}
