using WirelessNet.Coverage.Density;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Tests.Density;

/// <summary>
/// A Helium-like hotspot population: 80% clustered around 300 random "cities" (σ ≈ 15 km, so city centres get crowded
/// hexes at every resolution), 20% scattered; 90% active within the last 60 h. (Compiled into the benchmarks too.)
/// </summary>
internal static class TransmitScaleWorkload
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    public static HotspotAssertion[] Create(int count, int seed)
    {
        var random = new Random(seed);
        var cities = Enumerable.Range(0, 300).Select(_ => new LatLng((random.NextDouble() * 110) - 50, (random.NextDouble() * 360) - 180)).ToArray();
        var hotspots = new HotspotAssertion[count];
        for (var i = 0; i < count; i++)
        {
            double lat, lng;
            if (random.NextDouble() < 0.8)
            {
                var city = cities[random.Next(cities.Length)];
                lat = Math.Clamp(city.Lat + (Gaussian(random) * 0.135), -89, 89);
                lng = city.Lng + (Gaussian(random) * 0.135 / Math.Cos(city.Lat * Math.PI / 180));
                lng = lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng;
            }
            else
            {
                lat = (random.NextDouble() * 120) - 60;
                lng = (random.NextDouble() * 360) - 180;
            }

            var lastActive = Now.AddHours(random.NextDouble() < 0.9 ? -random.NextDouble() * 59 : -61 - (random.NextDouble() * 1000));
            hotspots[i] = new HotspotAssertion($"hotspot-{i}", H3Grid.LatLngToCell(lat, lng, 12), lastActive);
        }

        return hotspots;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
