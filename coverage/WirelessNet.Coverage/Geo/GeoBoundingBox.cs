using System.Globalization;
using NetTopologySuite.Geometries;
using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Geo;

/// <summary>
/// A longitude/latitude rectangle in degrees, written "minLng,minLat,maxLng,maxLat" (the GeoJSON bbox order).
/// Boxes crossing the antimeridian are not supported: split them in two.
/// </summary>
public readonly record struct GeoBoundingBox
{
    private const double EarthRadiusKm = 6371.007180918475;

    public GeoBoundingBox(double minLng, double minLat, double maxLng, double maxLat)
    {
        if (Validate(minLng, minLat, maxLng, maxLat) is { } error)
        {
            throw new ArgumentException(error);
        }

        MinLng = minLng;
        MinLat = minLat;
        MaxLng = maxLng;
        MaxLat = maxLat;
    }

    public double MinLng { get; }

    public double MinLat { get; }

    public double MaxLng { get; }

    public double MaxLat { get; }

    /// <summary>The area on H3's sphere: R² (sin φ₂ − sin φ₁)(λ₂ − λ₁).</summary>
    public double AreaKm2 =>
        EarthRadiusKm * EarthRadiusKm *
        (Math.Sin(MaxLat * Math.PI / 180) - Math.Sin(MinLat * Math.PI / 180)) *
        ((MaxLng - MinLng) * Math.PI / 180);

    public bool Contains(LatLng point) =>
        point.Lat >= MinLat && point.Lat <= MaxLat && point.Lng >= MinLng && point.Lng <= MaxLng;

    /// <summary>The smallest box holding all points, or false when there are none.</summary>
    public static bool TryEnclose(IEnumerable<LatLng> points, out GeoBoundingBox box)
    {
        ArgumentNullException.ThrowIfNull(points);
        double minLng = double.MaxValue, minLat = double.MaxValue, maxLng = double.MinValue, maxLat = double.MinValue;
        foreach (var p in points)
        {
            minLng = Math.Min(minLng, p.Lng);
            minLat = Math.Min(minLat, p.Lat);
            maxLng = Math.Max(maxLng, p.Lng);
            maxLat = Math.Max(maxLat, p.Lat);
        }

        box = default;
        if (minLng > maxLng)
        {
            return false;
        }

        // a single point still needs an extent: ~100 m
        const double Pad = 0.001;
        box = new GeoBoundingBox(
            Math.Max(-180, minLng - Pad), Math.Max(-90, minLat - Pad), Math.Min(180, maxLng + Pad), Math.Min(90, maxLat + Pad));
        return true;
    }

    /// <summary>The rectangle as a polygon (X = longitude, Y = latitude), for H3Grid.PolygonToCells.</summary>
    public Polygon ToPolygon(GeometryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreatePolygon(
        [
            new Coordinate(MinLng, MinLat),
            new Coordinate(MaxLng, MinLat),
            new Coordinate(MaxLng, MaxLat),
            new Coordinate(MinLng, MaxLat),
            new Coordinate(MinLng, MinLat),
        ]);
    }

    /// <summary>Parses "minLng,minLat,maxLng,maxLat"; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out GeoBoundingBox box, out string? error)
    {
        box = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "bbox is required: minLng,minLat,maxLng,maxLat in degrees";
            return false;
        }

        var parts = text.Split(',');
        var values = new double[4];
        if (parts.Length != 4 ||
            !parts.Select((p, i) => double.TryParse(p.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            error = "bbox must be four numbers: minLng,minLat,maxLng,maxLat";
            return false;
        }

        error = Validate(values[0], values[1], values[2], values[3]);
        if (error is not null)
        {
            return false;
        }

        box = new GeoBoundingBox(values[0], values[1], values[2], values[3]);
        return true;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{MinLng:R},{MinLat:R},{MaxLng:R},{MaxLat:R}");

    private static string? Validate(double minLng, double minLat, double maxLng, double maxLat)
    {
        if (!double.IsFinite(minLng) || !double.IsFinite(minLat) || !double.IsFinite(maxLng) || !double.IsFinite(maxLat))
        {
            return "bbox values must be finite numbers";
        }

        if (minLng < -180 || maxLng > 180 || minLat < -90 || maxLat > 90)
        {
            return "bbox out of range: longitudes must be within -180..180 and latitudes within -90..90";
        }

        if (minLng >= maxLng || minLat >= maxLat)
        {
            return "bbox must have minLng < maxLng and minLat < maxLat (boxes crossing the antimeridian are not supported)";
        }

        return null;
    }
}
