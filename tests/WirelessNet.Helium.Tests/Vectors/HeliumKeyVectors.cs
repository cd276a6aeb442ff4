using System.Text.Json;

namespace WirelessNet.Helium.Tests.Vectors;

/// <summary>
/// tests/vectors/helium-keys/generate.mjs output (copied next to the test assembly): published helium-crypto-rs
/// addresses decoded by Helium's JS library, and key pairs / signatures / a signed protobuf made with node:crypto.
/// </summary>
internal static class HeliumKeyVectors
{
    private static readonly Lazy<JsonElement> File = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", "helium-keys.json");
        // The document lives for the whole run: the elements handed out point into it.
        return JsonDocument.Parse(System.IO.File.ReadAllBytes(path)).RootElement;
    });

    public static JsonElement Root => File.Value;

    public static IEnumerable<JsonElement> Array(string name) => Root.GetProperty(name).EnumerateArray();

    public static TheoryData<int> Indexes(string name)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Root.GetProperty(name).GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static JsonElement At(string name, int index) => Root.GetProperty(name)[index];

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static byte[] Hex(this JsonElement element, string property) => Convert.FromHexString(element.Text(property));

    public static int Int(this JsonElement element, string property) => element.GetProperty(property).GetInt32();
}
