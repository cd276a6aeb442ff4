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
    string? HeliumKeyType = null);

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
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RadioWorldDefinition FromJson(string json) =>
        JsonSerializer.Deserialize<RadioWorldDefinition>(json, Json) ?? throw new JsonException("The world file is empty.");
}
