using System.Text.Json;
using System.Text.Json.Serialization;

namespace WirelessNet.LoRaWan.Regions;

// Source-generated so region loading stays trimming/AOT safe (no reflection-based serializer).
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(RegionDataFile))]
internal sealed partial class RegionDataJsonContext : JsonSerializerContext
{
}
