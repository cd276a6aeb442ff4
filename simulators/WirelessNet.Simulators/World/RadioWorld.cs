using WirelessNet.Coverage.H3;
using WirelessNet.Simulators.Rf;

namespace WirelessNet.Simulators.World;

/// <summary>One hotspot hearing one transmission.</summary>
public readonly record struct Hearing(int HotspotIndex, double RssiDbm, double SnrDb);

/// <summary>The physics of a world: who hears a transmission from where, at what RSSI and SNR.</summary>
public sealed class RadioWorld(RadioWorldDefinition definition)
{
    private readonly LinkModel _model = new() { Environment = definition.Environment, WorldSeed = (ulong)definition.Seed };

    public RadioWorldDefinition Definition { get; } = definition;

    /// <summary>The hotspots that demodulate a transmission from the given point, strongest first.</summary>
    public IReadOnlyList<Hearing> Hear(double latitude, double longitude, ulong transmitterId, double txPowerDbm, int spreadingFactor, double frequencyHz, int bandwidthHz = 125_000)
    {
        var hearings = new List<Hearing>();
        var device = new RadioEndpoint(AntennaGainDbi: 0, HeightMetres: 1.5);
        for (var i = 0; i < Definition.Hotspots.Count; i++)
        {
            var hotspot = Definition.Hotspots[i];
            var metres = H3Grid.GreatCircleDistanceKm(new LatLng(latitude, longitude), new LatLng(hotspot.Latitude, hotspot.Longitude)) * 1000;
            var rx = new RadioEndpoint(hotspot.AntennaGainDbi, CableLossDb: 0.5, hotspot.HeightMetres, hotspot.Indoor);
            var rssi = _model.ReceivedPowerDbm(txPowerDbm, device, rx, metres, frequencyHz, transmitterId, (ulong)i + 1);
            if (LoRaReception.IsReceivable(rssi, spreadingFactor, bandwidthHz))
            {
                hearings.Add(new Hearing(i, Math.Round(rssi), Math.Round(LoRaReception.Snr(rssi, bandwidthHz), 1)));
            }
        }

        hearings.Sort((a, b) => b.RssiDbm.CompareTo(a.RssiDbm));
        return hearings;
    }
}
