namespace WirelessNet.Simulators.Rf;

/// <summary>A LoRa transmission as one receiver sees it.</summary>
public readonly record struct ReceivedTransmission(int Id, ulong FrequencyHz, int SpreadingFactor, TimeSpan Start, TimeSpan Duration, double RssiDbm)
{
    public TimeSpan End => Start + Duration;

    public bool Overlaps(in ReceivedTransmission other) => Start < other.End && other.Start < End;
}

/// <summary>
/// Same-channel, same-SF collisions at one receiver: overlapping frames are lost unless one is at least the capture
/// margin (6 dB) stronger than every other overlapping one, in which case it survives and the weaker ones are lost.
/// Different spreading factors are treated as orthogonal.
/// </summary>
public static class CollisionResolver
{
    public const double CaptureMarginDb = 6.0;

    /// <summary>Ids of the transmissions that survive collisions.</summary>
    public static IReadOnlySet<int> Survivors(IReadOnlyList<ReceivedTransmission> transmissions, double captureMarginDb = CaptureMarginDb)
    {
        var survivors = new HashSet<int>();
        for (var i = 0; i < transmissions.Count; i++)
        {
            var t = transmissions[i];
            var survives = true;
            for (var j = 0; j < transmissions.Count && survives; j++)
            {
                if (i == j)
                {
                    continue;
                }

                var other = transmissions[j];
                if (other.FrequencyHz == t.FrequencyHz && other.SpreadingFactor == t.SpreadingFactor && t.Overlaps(other)
                    && t.RssiDbm - other.RssiDbm < captureMarginDb)
                {
                    survives = false;
                }
            }

            if (survives)
            {
                survivors.Add(t.Id);
            }
        }

        return survivors;
    }
}
