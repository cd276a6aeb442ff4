using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WirelessNet.Coverage.Geo;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Http;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Coverage.Tests.Http;

/// <summary>
/// A Kestrel app on 127.0.0.1 (port chosen by the OS) with <see cref="CoverageEndpoints.MapCoverageEndpoints"/> over an
/// in-memory store seeded with four res-9 hexes around Amsterdam, one per RSSI band used below, and two hotspots.
/// </summary>
public sealed class CoverageTestHost : IAsyncLifetime
{
    public static readonly H3Index Centre = H3Grid.LatLngToCell(52.3702, 4.8952, 9);

    /// <summary>The seeded res-9 hexes and their best RSSI.</summary>
    public static readonly IReadOnlyDictionary<H3Index, double> BestRssi = Seed();

    public static readonly HotspotLocation[] Hotspots =
    [
        new(0x70b3d57ed0000001, H3Grid.CellToLatLng(Centre), "Dam"),
        new(0x70b3d57ed0000002, H3Grid.CellToLatLng(BestRssi.Keys.Last()), "Jordaan"),
    ];

    /// <summary>A box around the seeded hexes (all four centres inside).</summary>
    public static readonly GeoBoundingBox Box = Enclose();

    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public InMemoryCoverageStore Store { get; } = new();

    public async Task InitializeAsync()
    {
        var time = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
        foreach (var (cell, rssi) in BestRssi)
        {
            var position = H3Grid.CellToLatLng(H3Grid.CellToCenterChild(cell, 12));
            await Store.AddObservationsAsync(new[]
            {
                new CoverageObservation(position, Hotspots[0].Id, rssi, 5, time),
                new CoverageObservation(position, Hotspots[1].Id, rssi - 10, -5, time.AddMinutes(1)),
            });
        }

        foreach (var hotspot in Hotspots)
        {
            await Store.UpsertHotspotAsync(hotspot);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ICoverageStore>(Store);
        _app = builder.Build();
        _app.MapCoverageEndpoints(new CoverageEndpointOptions { DefaultMapBox = Box, DefaultMapResolution = 9, MaxCellsPerQuery = 5_000 });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static Dictionary<H3Index, double> Seed()
    {
        var neighbours = H3Grid.GridDisk(Centre, 1).Where(c => c != Centre).Order().Take(3).ToArray();
        return new Dictionary<H3Index, double>
        {
            [Centre] = -85,
            [neighbours[0]] = -95,
            [neighbours[1]] = -105,
            [neighbours[2]] = -125,
        };
    }

    private static GeoBoundingBox Enclose()
    {
        var centres = Seed().Keys.Select(H3Grid.CellToLatLng).ToArray();
        return new GeoBoundingBox(
            centres.Min(c => c.Lng) - 0.01, centres.Min(c => c.Lat) - 0.01, centres.Max(c => c.Lng) + 0.01, centres.Max(c => c.Lat) + 0.01);
    }
}
