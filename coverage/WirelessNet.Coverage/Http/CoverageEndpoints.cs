using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WirelessNet.Coverage.Geo;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Mapping;
using WirelessNet.Coverage.Measured;

namespace WirelessNet.Coverage.Http;

/// <summary>The coverage HTTP API and map page, over the <see cref="ICoverageStore"/> registered in the host's services.</summary>
public static class CoverageEndpoints
{
    /// <summary>
    /// Maps GET /api/coverage?bbox=minLng,minLat,maxLng,maxLat&amp;res=N (GeoJSON of the hexes with coverage whose centre is
    /// in the box, plus the hotspots in it), GET /api/coverage/hex/{cell}, GET /api/hotspots/{id}/coverage (id: 16 hex
    /// digits), GET /map and GET /map/export?bbox=…&amp;res=N (the page with the data embedded, a self-contained file). Invalid input answers 400 with a problem document whose detail says why; unknown hexes and
    /// hotspots answer 404.
    /// </summary>
    public static IEndpointConventionBuilder MapCoverageEndpoints(this IEndpointRouteBuilder endpoints, CoverageEndpointOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        options ??= new CoverageEndpointOptions();
        var group = endpoints.MapGroup(string.Empty);

        group.MapGet("/api/coverage", (HttpRequest request, ICoverageStore store, CancellationToken cancellationToken) =>
            GetCoverageAsync(request, store, options, cancellationToken));

        group.MapGet("/api/coverage/hex/{cell}", async (string cell, ICoverageStore store, CancellationToken cancellationToken) =>
        {
            if (!H3Index.TryParse(cell, out var index) || !H3Grid.IsValidCell(index))
            {
                return BadRequest($"'{cell}' is not a valid H3 cell index (hexadecimal)");
            }

            var hex = await store.GetHexAsync(index, cancellationToken).ConfigureAwait(false);
            return hex is null
                ? NotFound($"no coverage recorded for hex {index}")
                : Results.Json(CoverageGeoJson.ToFeature(hex), CoverageGeoJson.SerializerOptions, CoverageGeoJson.MediaType);
        });

        group.MapGet("/api/hotspots/{id}/coverage", async (string id, ICoverageStore store, CancellationToken cancellationToken) =>
        {
            if (!GatewayIds.TryParse(id, out var hotspotId))
            {
                return BadRequest($"'{id}' is not a hotspot id (up to 16 hexadecimal digits)");
            }

            var hotspot = await store.GetHotspotAsync(hotspotId, cancellationToken).ConfigureAwait(false);
            var hexes = await store.GetHotspotCoverageAsync(hotspotId, cancellationToken).ConfigureAwait(false);
            if (hotspot is null && hexes.Count == 0)
            {
                return NotFound($"hotspot {GatewayIds.Format(hotspotId)} is unknown");
            }

            var collection = CoverageGeoJson.ToFeatureCollection(hexes, hotspot is null ? null : [hotspot]);
            return Results.Json(collection, CoverageGeoJson.SerializerOptions, CoverageGeoJson.MediaType);
        });

        group.MapGet("/map", (HttpRequest request) => Results.Content(
            CoverageMapPage.Render(new CoverageMapPageOptions
            {
                Title = options.MapTitle,
                DataUrl = $"{request.PathBase}/api/coverage",
                Box = options.DefaultMapBox,
                Resolution = options.DefaultMapResolution,
            }),
            "text/html; charset=utf-8"));

        // The same page with the data inside it: a file that shows the map without the server (reports, the demo).
        group.MapGet("/map/export", async (HttpRequest request, ICoverageStore store, CancellationToken cancellationToken) =>
        {
            var (box, res, error) = ParseArea(request, options);
            if (error is not null)
            {
                return BadRequest(error);
            }

            var collection = await CoverageAreaQuery.GetFeaturesAsync(store, box!.Value, res!.Value, cancellationToken).ConfigureAwait(false);
            var page = CoverageMapPage.Render(new CoverageMapPageOptions { Title = options.MapTitle, Box = box, Resolution = res, EmbeddedData = collection });
            request.HttpContext.Response.Headers.ContentDisposition = "attachment; filename=\"coverage-map.html\"";
            return Results.Content(page, "text/html; charset=utf-8");
        });

        return group;
    }

    private static async Task<IResult> GetCoverageAsync(
        HttpRequest request, ICoverageStore store, CoverageEndpointOptions options, CancellationToken cancellationToken)
    {
        var (box, res, error) = ParseArea(request, options);
        if (error is not null)
        {
            return BadRequest(error);
        }

        var collection = await CoverageAreaQuery.GetFeaturesAsync(store, box!.Value, res!.Value, cancellationToken).ConfigureAwait(false);
        return Results.Json(collection, CoverageGeoJson.SerializerOptions, CoverageGeoJson.MediaType);
    }

    /// <summary>bbox and res of an area request, or why they are not acceptable.</summary>
    private static (GeoBoundingBox? Box, int? Resolution, string? Error) ParseArea(HttpRequest request, CoverageEndpointOptions options)
    {
        var resText = request.Query["res"].ToString();
        if (!int.TryParse(resText, NumberStyles.None, CultureInfo.InvariantCulture, out var res) || res > H3Grid.MaxResolution)
        {
            return (null, null, $"res must be an integer from 0 to {H3Grid.MaxResolution} (got '{resText}')");
        }

        if (!GeoBoundingBox.TryParse(request.Query["bbox"].ToString(), out var box, out var error))
        {
            return (null, null, error!);
        }

        if (box.MaxLng - box.MinLng >= 180)
        {
            return (null, null, "bbox must span less than 180° of longitude");
        }

        // Estimate before enumerating: the enumeration itself is what the limit protects.
        var estimate = box.AreaKm2 / H3Grid.GetHexagonAreaAvgKm2(res);
        if (estimate > options.MaxCellsPerQuery)
        {
            return (null, null, string.Create(
                CultureInfo.InvariantCulture,
                $"bbox too large for res {res}: about {estimate:F0} hexes, the limit is {options.MaxCellsPerQuery}; use a smaller bbox or a coarser res"));
        }

        return (box, res, null);
    }

    private static IResult BadRequest(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid coverage request");

    private static IResult NotFound(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
