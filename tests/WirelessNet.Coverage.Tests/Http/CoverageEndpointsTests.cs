using System.Net;
using System.Text.Json;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Tests.Http;

public sealed class CoverageEndpointsTests : IClassFixture<CoverageTestHost>
{
    private readonly CoverageTestHost _host;
    private readonly HttpClient _client;

    public CoverageEndpointsTests(CoverageTestHost host)
    {
        _host = host;
        _client = new HttpClient { BaseAddress = host.BaseAddress };
    }

    [Fact]
    public async Task Coverage_of_a_bbox_lists_the_hexes_with_data_and_the_hotspots()
    {
        using var response = await _client.GetAsync($"/api/coverage?bbox={CoverageTestHost.Box}&res=9");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var features = document.RootElement.GetProperty("features").EnumerateArray().ToArray();
        var hexes = features.Where(f => f.GetProperty("properties").GetProperty("kind").GetString() == "hex").ToArray();
        Assert.Equal(
            CoverageTestHost.BestRssi.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
            hexes.ToDictionary(f => f.GetProperty("properties").GetProperty("cell").GetString()!, f => f.GetProperty("properties").GetProperty("bestRssi").GetDouble()));
        Assert.All(hexes, h => Assert.Equal(2, h.GetProperty("properties").GetProperty("distinctGateways").GetInt32()));
        Assert.Equal(2, features.Count(f => f.GetProperty("properties").GetProperty("kind").GetString() == "hotspot"));
    }

    [Fact]
    public async Task A_resolution_without_statistics_gives_hotspots_only()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync($"/api/coverage?bbox={CoverageTestHost.Box}&res=6"));

        Assert.All(document.RootElement.GetProperty("features").EnumerateArray(), f => Assert.Equal("hotspot", f.GetProperty("properties").GetProperty("kind").GetString()));
    }

    [Theory]
    [InlineData("bbox=4.8,52.3,4.9,52.4&res=16", "res must be an integer from 0 to 15")]
    [InlineData("bbox=4.8,52.3,4.9,52.4&res=-1", "res must be an integer from 0 to 15")]
    [InlineData("bbox=4.8,52.3,4.9,52.4", "res must be an integer from 0 to 15")]
    [InlineData("res=9", "bbox is required")]
    [InlineData("bbox=4.8,52.3,4.9&res=9", "bbox must be four numbers")]
    [InlineData("bbox=4.9,52.3,4.8,52.4&res=9", "minLng < maxLng")]
    [InlineData("bbox=4.8,-95,4.9,52.4&res=9", "out of range")]
    [InlineData("bbox=-100,10,100,20&res=2", "less than 180")]
    [InlineData("bbox=4,52,6,53&res=12", "bbox too large for res 12")]
    public async Task Invalid_coverage_queries_answer_400_with_the_reason(string query, string reason)
    {
        using var response = await _client.GetAsync($"/api/coverage?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hex_answers_its_statistics_or_404_or_400()
    {
        using var found = JsonDocument.Parse(await _client.GetStringAsync($"/api/coverage/hex/{CoverageTestHost.Centre}"));
        Assert.Equal("Feature", found.RootElement.GetProperty("type").GetString());
        Assert.Equal(2, found.RootElement.GetProperty("properties").GetProperty("count").GetInt64());
        Assert.Equal(-85, found.RootElement.GetProperty("properties").GetProperty("bestRssi").GetDouble());

        var empty = H3Grid.LatLngToCell(0, 0, 9);
        using var missing = await _client.GetAsync($"/api/coverage/hex/{empty}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var invalid = await _client.GetAsync("/api/coverage/hex/not-a-cell");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using var invalidBits = await _client.GetAsync("/api/coverage/hex/ffffffffffffffff");
        Assert.Equal(HttpStatusCode.BadRequest, invalidBits.StatusCode);
    }

    [Fact]
    public async Task A_hotspot_answers_its_own_coverage_or_404_or_400()
    {
        using var document = JsonDocument.Parse(await _client.GetStringAsync("/api/hotspots/70b3d57ed0000002/coverage"));
        var features = document.RootElement.GetProperty("features").EnumerateArray().ToArray();
        var hexes = features.Where(f => f.GetProperty("properties").GetProperty("kind").GetString() == "hex").ToArray();
        Assert.Equal(4, hexes.Length);
        Assert.Contains(hexes, h => h.GetProperty("properties").GetProperty("bestRssi").GetDouble() == -95); // -85 - 10
        Assert.Single(features, f => f.GetProperty("properties").GetProperty("kind").GetString() == "hotspot");

        using var unknown = await _client.GetAsync("/api/hotspots/0000000000000009/coverage");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var invalid = await _client.GetAsync("/api/hotspots/xyz/coverage");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task The_map_page_is_self_contained()
    {
        using var response = await _client.GetAsync("/map");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/api/coverage", html, StringComparison.Ordinal);
        _ = _host;
    }
}
