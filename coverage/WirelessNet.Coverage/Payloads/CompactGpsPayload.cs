using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Payloads;

/// <summary>
/// The plain 9-byte mapper payload: latitude, longitude and altitude as signed 24-bit big-endian integers, no header.
/// Latitude is in units of 90/2²³ degrees (≈ 1.2 m) and longitude of 180/2²³ degrees (≈ 2.4 m at the equator), so each
/// uses the whole 24-bit range: LPP's 0.0001° (≈ 11 m) is coarser than a resolution-12 hex (≈ 9 m edge), which this
/// payload exists to resolve. Altitude is in 0.01 m like LPP (±83 km). See docs/coverage.md.
/// </summary>
public static class CompactGpsPayload
{
    public const int Length = 9;

    private const double LatUnit = 90.0 / (1 << 23);
    private const double LngUnit = 180.0 / (1 << 23);

    /// <summary>Decodes exactly 9 bytes; false for another length.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out GpsFix fix)
    {
        if (payload.Length != Length)
        {
            fix = default;
            return false;
        }

        var lat = Int24.ReadBigEndian(payload) * LatUnit;
        var lng = Int24.ReadBigEndian(payload[3..]) * LngUnit;
        var alt = Int24.ReadBigEndian(payload[6..]) * 0.01;
        fix = new GpsFix(new LatLng(lat, lng), alt);
        return true;
    }

    /// <summary>Encodes a fix (rounded to the payload's resolution; latitude 90° and longitude 180° clamp to the largest code).</summary>
    public static void Encode(Span<byte> destination, GpsFix fix)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"Need {Length} bytes.", nameof(destination));
        }

        if (Math.Abs(fix.Position.Lat) > 90 || Math.Abs(fix.Position.Lng) > 180 || !double.IsFinite(fix.Position.Lat) || !double.IsFinite(fix.Position.Lng))
        {
            throw new ArgumentOutOfRangeException(nameof(fix), fix, "Latitude must be within ±90° and longitude within ±180°.");
        }

        Int24.WriteBigEndian(destination, Math.Min(Int24.MaxValue, (int)Math.Round(fix.Position.Lat / LatUnit)));
        Int24.WriteBigEndian(destination[3..], Math.Min(Int24.MaxValue, (int)Math.Round(fix.Position.Lng / LngUnit)));
        Int24.WriteBigEndian(destination[6..], (int)Math.Round(fix.AltitudeM / 0.01));
    }
}
