using WirelessNet.Coverage.H3;

namespace WirelessNet.Coverage.Measured;

/// <summary>
/// One reception: a device (e.g. a field mapper) at <paramref name="Position"/> heard by gateway <paramref name="GatewayId"/>.
/// An uplink heard by three gateways is three observations. Gateways are identified by a 64-bit id (a LoRaWAN gateway EUI;
/// other identifiers such as Helium public keys map to one with <see cref="GatewayIds.FromName"/>).
/// </summary>
/// <param name="Position">Where the device was (degrees).</param>
/// <param name="GatewayId">The receiving gateway.</param>
/// <param name="Rssi">Received signal strength, dBm.</param>
/// <param name="Snr">Signal-to-noise ratio, dB.</param>
/// <param name="Time">When it was received.</param>
public readonly record struct CoverageObservation(LatLng Position, ulong GatewayId, double Rssi, double Snr, DateTimeOffset Time);
