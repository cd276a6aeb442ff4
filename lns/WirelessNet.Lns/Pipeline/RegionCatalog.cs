using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.Lns.Pipeline;

/// <summary>Looks up region parameters by the configuration id devices and gateways carry ("eu868", "us915").</summary>
public static class RegionCatalog
{
    public static bool TryGet(string id, out RegionParameters region)
    {
        if (Region.TryGet(id, out var found) && found is not null)
        {
            region = found;
            return true;
        }

        region = null!;
        return false;
    }
}
