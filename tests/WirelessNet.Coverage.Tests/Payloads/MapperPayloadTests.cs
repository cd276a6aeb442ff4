using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Payloads;

namespace WirelessNet.Coverage.Tests.Payloads;

public sealed class MapperPayloadTests
{
    [Fact]
    public void Decodes_the_lpp_gps_example()
    {
        // The Cayenne LPP documentation's example: channel 1, GPS, 42.3519° -87.9094° 10 m.
        byte[] payload = [0x01, 0x88, 0x06, 0x76, 0x5F, 0xF2, 0x96, 0x0A, 0x00, 0x03, 0xE8];

        Assert.True(CayenneLppGps.TryDecode(payload, out var fix));

        Assert.Equal(42.3519, fix.Position.Lat, 9);
        Assert.Equal(-87.9094, fix.Position.Lng, 9);
        Assert.Equal(10.0, fix.AltitudeM, 9);
    }

    [Fact]
    public void Skips_other_lpp_values_before_the_gps_entry()
    {
        // temperature 27.2 °C on channel 3, humidity on channel 5, then GPS on channel 7 (negative altitude)
        var payload = new byte[4 + 3 + CayenneLppGps.EntryLength];
        new byte[] { 0x03, 0x67, 0x01, 0x10, 0x05, 0x68, 0x50 }.CopyTo(payload, 0);
        CayenneLppGps.Encode(payload.AsSpan(7), 7, new GpsFix(new LatLng(-33.8688, 151.2093), -12.34));

        Assert.True(CayenneLppGps.TryDecode(payload, out var fix));

        Assert.Equal(-33.8688, fix.Position.Lat, 9);
        Assert.Equal(151.2093, fix.Position.Lng, 9);
        Assert.Equal(-12.34, fix.AltitudeM, 9);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x01, 0x88, 0x06, 0x76, 0x5F, 0xF2, 0x96, 0x0A, 0x00, 0x03 })] // truncated
    [InlineData(new byte[] { 0x03, 0x67, 0x01, 0x10 })] // no GPS
    [InlineData(new byte[] { 0x03, 0x99, 0x01, 0x88, 0x06, 0x76, 0x5F, 0xF2, 0x96, 0x0A, 0x00, 0x03, 0xE8 })] // unknown type first
    [InlineData(new byte[] { 0x01, 0x88, 0x7F, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 })] // latitude 838.8°
    public void Refuses_payloads_without_a_usable_gps_entry(byte[] payload) =>
        Assert.False(CayenneLppGps.TryDecode(payload, out _));

    [Fact]
    public void Compact_payload_has_a_fixed_layout()
    {
        // lat 45° = 2^22 units of 90/2^23; lng -90° = -2^22 units of 180/2^23; alt 123.45 m = 12345 cm
        byte[] payload = [0x40, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x30, 0x39];

        Assert.True(CompactGpsPayload.TryDecode(payload, out var fix));

        Assert.Equal(45.0, fix.Position.Lat);
        Assert.Equal(-90.0, fix.Position.Lng);
        Assert.Equal(123.45, fix.AltitudeM, 9);
        var encoded = new byte[CompactGpsPayload.Length];
        CompactGpsPayload.Encode(encoded, fix);
        Assert.Equal(payload, encoded);
    }

    [Fact]
    public void Compact_payload_round_trips_within_its_resolution()
    {
        var random = new Random(9);
        var buffer = new byte[CompactGpsPayload.Length];
        for (var i = 0; i < 10_000; i++)
        {
            var fix = new GpsFix(
                new LatLng((random.NextDouble() * 180) - 90, (random.NextDouble() * 360) - 180),
                Math.Round((random.NextDouble() * 10_000) - 500, 2));
            CompactGpsPayload.Encode(buffer, fix);

            Assert.True(CompactGpsPayload.TryDecode(buffer, out var decoded));
            Assert.InRange(Math.Abs(decoded.Position.Lat - fix.Position.Lat), 0, 90.0 / (1 << 24) * 1.0001);
            Assert.InRange(Math.Abs(decoded.Position.Lng - fix.Position.Lng), 0, 180.0 / (1 << 24) * 1.0001);
            Assert.Equal(fix.AltitudeM, decoded.AltitudeM, 6);
        }
    }

    [Fact]
    public void Compact_payload_needs_exactly_nine_bytes() =>
        Assert.False(CompactGpsPayload.TryDecode(new byte[10], out _));
}
