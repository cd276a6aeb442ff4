using WirelessNet.Helium.Crypto;

namespace WirelessNet.Poc.Validation;

/// <summary>
/// A beacon as its beaconer reported it. <paramref name="ReceivedAt"/> is the server's receive time: every timing rule
/// uses it, never a time the hotspot claims. Signatures are checked at ingest, before a report becomes one of these.
/// </summary>
public sealed record BeaconReport(
    HeliumPublicKey Beaconer,
    byte[] RemoteEntropy,
    byte[] LocalEntropy,
    byte[] Data,
    ulong FrequencyHz,
    int DataRate,
    int TxPowerDeciDbm,
    DateTimeOffset ReceivedAt);

/// <summary>
/// A witness of a beacon: the payload heard, on which frequency and data rate, with RSSI (dBm×10) and SNR (dB×10) as
/// the witness measured them (Helium's units), and the server's receive time.
/// </summary>
public sealed record WitnessReport(
    HeliumPublicKey Witness,
    byte[] Data,
    ulong FrequencyHz,
    int DataRate,
    int SignalDeciDbm,
    int SnrDeciDb,
    DateTimeOffset ReceivedAt);
