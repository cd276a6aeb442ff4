using System.Text.RegularExpressions;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Mapping;
using WirelessNet.Coverage.Measured;
using WirelessNet.Testing;

namespace WirelessNet.Coverage.Tests.Http;

/// <summary>
/// Opens the map page in headless chromium (WirelessNet.Testing's ChromiumLocator: a missing browser fails with the
/// install command, it never skips) and checks the hexes the page's script drew.
/// </summary>
public sealed partial class CoverageMapPageBrowserTests : IClassFixture<CoverageTestHost>
{
    private readonly CoverageTestHost _host;

    public CoverageMapPageBrowserTests(CoverageTestHost host) => _host = host;

    [Fact]
    public async Task The_served_map_draws_each_hex_in_its_rssi_colour()
    {
        var chromium = ChromiumLocator.CreateHeadless();

        // the page fetches /api/coverage after loading: give it (virtual) time to do so before the DOM is dumped
        var dom = await chromium.DumpDomAsync(
            new Uri(_host.BaseAddress, "/map"),
            new HeadlessChromiumOptions { VirtualTimeBudget = TimeSpan.FromSeconds(10), Timeout = TimeSpan.FromSeconds(90) });

        AssertDrawn(dom);
    }

    [Fact]
    public async Task A_static_export_draws_its_embedded_data_without_a_server()
    {
        var hexes = new List<HexCoverage>();
        foreach (var cell in CoverageTestHost.BestRssi.Keys)
        {
            hexes.Add((await _host.Store.GetHexAsync(cell))!);
        }

        var html = CoverageMapPage.Render(new CoverageMapPageOptions
        {
            DataUrl = "http://127.0.0.1:9/unreachable",
            EmbeddedData = CoverageGeoJson.ToFeatureCollection(hexes, CoverageTestHost.Hotspots),
        });
        using var directory = TemporaryDirectory.Create("wirelessnet-coverage-map-");
        var file = Path.Combine(directory.Path, "coverage.html");
        await File.WriteAllTextAsync(file, html);

        var dom = await ChromiumLocator.CreateHeadless().DumpDomAsync(new Uri(file));

        AssertDrawn(dom);
    }

    [Fact]
    public async Task The_exported_map_page_carries_its_data_and_draws_it_from_a_file()
    {
        using var client = new HttpClient { BaseAddress = _host.BaseAddress };
        using var response = await client.GetAsync($"/map/export?bbox={CoverageTestHost.Box}&res=9");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment; filename=\"coverage-map.html\"", response.Content.Headers.ContentDisposition?.ToString());
        using var directory = TemporaryDirectory.Create("wirelessnet-coverage-export-");
        var file = Path.Combine(directory.Path, "coverage-map.html");
        await File.WriteAllTextAsync(file, await response.Content.ReadAsStringAsync());

        var dom = await ChromiumLocator.CreateHeadless().DumpDomAsync(new Uri(file));

        AssertDrawn(dom);
        using var invalid = await client.GetAsync("/map/export?bbox=4,52,6,53&res=12");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("bbox too large for res 12", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void AssertDrawn(string dom)
    {
        var drawn = PolygonTag().Matches(dom)
            .Select(m => m.Value)
            .ToDictionary(tag => Attribute(tag, "data-cell"), tag => Attribute(tag, "fill"));
        var expected = CoverageTestHost.BestRssi.ToDictionary(kv => kv.Key.ToString(), kv => RssiColorScale.ColorFor(kv.Value));

        Assert.Equal(expected, drawn);
        Assert.Equal(["#1a9850", "#91cf60", "#d73027", "#fee08b"], drawn.Values.Order(StringComparer.Ordinal));
        Assert.Equal(2, CircleTag().Matches(dom).Count);
        Assert.Contains("4 hexes, 2 hotspots", dom, StringComparison.Ordinal);
    }

    private static string Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"");
        Assert.True(match.Success, $"{name} missing in {tag}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("<polygon\\s[^>]*>")]
    private static partial Regex PolygonTag();

    [GeneratedRegex("<circle\\s[^>]*data-hotspot=")]
    private static partial Regex CircleTag();
}
