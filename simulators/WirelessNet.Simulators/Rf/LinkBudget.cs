namespace WirelessNet.Simulators.Rf;

/// <summary>One end of a radio link: antenna gain, cable loss, height, and whether it sits indoors.</summary>
public readonly record struct RadioEndpoint(double AntennaGainDbi = 0, double CableLossDb = 0, double HeightMetres = 1.5, bool Indoor = false);

/// <summary>How the RF world computes received power.</summary>
public sealed record LinkModel
{
    public PropagationEnvironment Environment { get; init; } = PropagationEnvironment.Suburban;

    /// <summary>Use Okumura-Hata instead of the log-distance model (needs realistic antenna heights).</summary>
    public bool UseHata { get; init; }

    /// <summary>Shadowing σ; null uses the environment's default.</summary>
    public double? ShadowingSigmaDb { get; init; }

    /// <summary>Extra loss when either end is indoors (typical 10–20 dB for brick and glass at sub-GHz).</summary>
    public double BuildingPenetrationLossDb { get; init; } = 12.0;

    public ulong WorldSeed { get; init; }

    /// <summary>
    /// RSSI at the receiver, dBm: TX power + gains − cable losses − path loss − penetration − shadowing.
    /// <paramref name="txId"/> and <paramref name="rxId"/> identify the radios for the link's shadowing draw.
    /// </summary>
    public double ReceivedPowerDbm(double txPowerDbm, RadioEndpoint tx, RadioEndpoint rx, double distanceMetres, double frequencyHz, ulong txId, ulong rxId)
    {
        var parameters = LogDistanceParameters.For(Environment);
        var pathLoss = Environment == PropagationEnvironment.FreeSpace
            ? PathLoss.FreeSpace(Math.Max(distanceMetres, 1.0), frequencyHz)
            : UseHata
                ? PathLoss.Hata(Math.Max(distanceMetres, 1.0), frequencyHz, Math.Max(tx.HeightMetres, rx.HeightMetres), Math.Min(tx.HeightMetres, rx.HeightMetres), Environment)
                : PathLoss.LogDistance(Math.Max(distanceMetres, 1.0), frequencyHz, parameters.Exponent);
        var penetration = (tx.Indoor ? BuildingPenetrationLossDb : 0) + (rx.Indoor ? BuildingPenetrationLossDb : 0);
        var shadowing = Shadowing.ForLink(WorldSeed, txId, rxId, ShadowingSigmaDb ?? parameters.ShadowingSigmaDb);
        return txPowerDbm + tx.AntennaGainDbi - tx.CableLossDb + rx.AntennaGainDbi - rx.CableLossDb - pathLoss - penetration - shadowing;
    }
}
