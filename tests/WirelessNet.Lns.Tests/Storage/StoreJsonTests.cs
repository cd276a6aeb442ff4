using System.Text.Json;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Storage.Redis;
using WirelessNet.LoRaWan.Primitives;
using static WirelessNet.Lns.Tests.Storage.StoreTestData;

namespace WirelessNet.Lns.Tests.Storage;

/// <summary>The stored JSON: readable hex identifiers and keys, enum names, and no per-frame counters in sessions.</summary>
public sealed class StoreJsonTests
{
    [Fact]
    public void Device_json_has_hex_identifiers_and_keys_and_round_trips()
    {
        var device = DeviceRecord(new Eui64(0x70B3_D57E_D000_1234)) with { NwkKey = null };

        var json = JsonSerializer.Serialize(device, StoreJson.Device);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("70b3d57ed0001234", root.GetProperty("devEui").GetString());
        Assert.Equal("0102030405060708", root.GetProperty("joinEui").GetString());
        Assert.Equal(device.AppKey!.Value.ToHexString(), root.GetProperty("appKey").GetString());
        Assert.False(root.TryGetProperty("nwkKey", out _));
        Assert.Equal(device, JsonSerializer.Deserialize(json, StoreJson.Device));
    }

    [Fact]
    public void Session_json_leaves_the_counters_to_the_hash_fields()
    {
        var session = Session(new Eui64(1), new DevAddr(0x2601_1BDA), MacVersion.LoRaWan1_1_0, fCntUp: 99) with { Pending = true };

        var json = JsonSerializer.Serialize(session, StoreJson.SessionStaticPart);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("26011bda", root.GetProperty("devAddr").GetString());
        Assert.Equal("LoRaWan1_1_0", root.GetProperty("macVersion").GetString());
        Assert.False(root.TryGetProperty("fCntUp", out _));
        Assert.False(root.TryGetProperty("nFCntDown", out _));
        Assert.False(root.TryGetProperty("aFCntDown", out _));
        Assert.False(root.TryGetProperty("pending", out _));

        var read = JsonSerializer.Deserialize(json, StoreJson.SessionStaticPart);
        AssertSameSession(session with { FCntUp = null, NFCntDown = 0, AFCntDown = 0, Pending = false }, read);
    }

    [Theory]
    [InlineData("{\"devEui\":\"zz\",\"tenantId\":\"t\",\"applicationId\":\"a\",\"profileId\":\"p\"}")]
    [InlineData("{\"devEui\":\"0000000000000001\",\"tenantId\":\"t\",\"applicationId\":\"a\",\"profileId\":\"p\",\"appKey\":\"00112233\"}")]
    public void Malformed_identifiers_and_keys_are_rejected(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, StoreJson.Device));

    [Fact]
    public void Key_errors_do_not_echo_the_key()
    {
        const string AlmostAKey = "00112233445566778899aabbccddeeZZ";
        var json = "{\"devEui\":\"0000000000000001\",\"tenantId\":\"t\",\"applicationId\":\"a\",\"profileId\":\"p\",\"appKey\":\"" + AlmostAKey + "\"}";

        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, StoreJson.Device));

        Assert.DoesNotContain(AlmostAKey, error.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
