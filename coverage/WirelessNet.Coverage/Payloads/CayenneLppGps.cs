using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Payloads;

/// <summary>
/// The GPS location of a Cayenne LPP payload: data type 0x88 — latitude and longitude 0.0001° and altitude 0.01 m, each a
/// signed 24-bit big-endian integer, after the channel and type bytes. Other LPP values in the payload are skipped.
/// </summary>
public static class CayenneLppGps
{
    public const byte GpsType = 0x88;

    /// <summary>Channel + type + 9 bytes of data.</summary>
    public const int EntryLength = 11;

    /// <summary>
    /// Finds the first GPS entry. False when there is none or the payload is malformed (an unknown type before the GPS
    /// entry, or a truncated entry), since LPP entries cannot be skipped without knowing their length.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out GpsFix fix)
    {
        fix = default;
        while (payload.Length >= 2)
        {
            var type = payload[1];
            if (type == GpsType)
            {
                if (payload.Length < EntryLength)
                {
                    return false;
                }

                var data = payload[2..EntryLength];
                var lat = Int24.ReadBigEndian(data) * 0.0001;
                var lng = Int24.ReadBigEndian(data[3..]) * 0.0001;
                var alt = Int24.ReadBigEndian(data[6..]) * 0.01;
                if (Math.Abs(lat) > 90 || Math.Abs(lng) > 180)
                {
                    return false;
                }

                fix = new GpsFix(new LatLng(lat, lng), alt);
                return true;
            }

            var size = DataSize(type);
            if (size < 0 || payload.Length < 2 + size)
            {
                return false;
            }

            payload = payload[(2 + size)..];
        }

        return false;
    }

    /// <summary>Encodes a GPS entry (11 bytes) on <paramref name="channel"/>; values are rounded to the LPP resolution.</summary>
    public static void Encode(Span<byte> destination, byte channel, GpsFix fix)
    {
        if (destination.Length < EntryLength)
        {
            throw new ArgumentException($"Need {EntryLength} bytes.", nameof(destination));
        }

        destination[0] = channel;
        destination[1] = GpsType;
        Int24.WriteBigEndian(destination[2..], (int)Math.Round(fix.Position.Lat / 0.0001));
        Int24.WriteBigEndian(destination[5..], (int)Math.Round(fix.Position.Lng / 0.0001));
        Int24.WriteBigEndian(destination[8..], (int)Math.Round(fix.AltitudeM / 0.01));
    }

    /// <summary>Data bytes of the LPP types (IPSO id − 3200), or -1 for unknown types.</summary>
    private static int DataSize(byte type) => type switch
    {
        0x00 or 0x01 or 0x66 or 0x68 or 0x78 or 0x8E => 1, // digital in/out, presence, humidity, percentage, switch
        0x02 or 0x03 or 0x65 or 0x67 or 0x73 or 0x74 or 0x75 or 0x79 or 0x7D or 0x80 or 0x84 => 2, // analog, illuminance, temperature, barometer, voltage, current, altitude, concentration, power, direction
        0x87 => 3, // colour
        0x64 or 0x76 or 0x82 or 0x83 or 0x85 => 4, // generic, frequency, distance, energy, unix time
        0x71 or 0x86 => 6, // accelerometer, gyrometer
        _ => -1,
    };
}
