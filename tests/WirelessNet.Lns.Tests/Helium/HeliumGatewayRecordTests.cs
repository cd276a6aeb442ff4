using System.Text.Json;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Storage.Redis;

namespace WirelessNet.Lns.Tests.Helium;

public sealed class HeliumGatewayRecordTests
{
    [Fact]
    public void The_redis_store_keeps_a_hotspots_address()
    {
        using var key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var gateway = new Gateway { GatewayId = HeliumGatewayIds.FromPublicKey(key.PublicKey), TenantId = "t", HeliumAddress = key.PublicKey.ToAddress() };

        var copy = JsonSerializer.Deserialize(JsonSerializer.Serialize(gateway, StoreJson.Gateway), StoreJson.Gateway);

        Assert.Equal(gateway, copy);
    }
}
