using System.Globalization;

namespace WirelessNet.LoRaWan.Regions;

/// <summary>One row of a region's data-rate table (RP002-1.0.4), with its maximum payload sizes.</summary>
public sealed class DataRate
{
    // FHDR without FOpts (DevAddr 4 + FCtrl 1 + FCnt 2) plus FPort: what separates M from N.
    private const int MacOverheadWithoutFOpts = 8;

    internal DataRate(
        int index,
        Modulation modulation,
        int spreadingFactor,
        int bandwidthHz,
        string? codingRate,
        int occupiedChannelWidthHz,
        int bitRate,
        bool isUplink,
        bool isDownlink,
        int maxMacPayloadSize,
        int maxMacPayloadSizeDwellLimited)
    {
        Index = index;
        Modulation = modulation;
        SpreadingFactor = spreadingFactor;
        BandwidthHz = bandwidthHz;
        CodingRate = codingRate;
        OccupiedChannelWidthHz = occupiedChannelWidthHz;
        BitRate = bitRate;
        IsUplink = isUplink;
        IsDownlink = isDownlink;
        MaxMacPayloadSize = maxMacPayloadSize;
        MaxMacPayloadSizeDwellLimited = maxMacPayloadSizeDwellLimited;
    }

    public int Index { get; }

    public Modulation Modulation { get; }

    /// <summary>LoRa spreading factor (7–12); 0 for FSK and LR-FHSS.</summary>
    public int SpreadingFactor { get; }

    /// <summary>LoRa bandwidth in Hz; 0 for FSK and LR-FHSS.</summary>
    public int BandwidthHz { get; }

    /// <summary>"4/5" for LoRa, "1/3" or "2/3" for LR-FHSS, null for FSK.</summary>
    public string? CodingRate { get; }

    /// <summary>LR-FHSS occupied channel width in Hz; 0 otherwise.</summary>
    public int OccupiedChannelWidthHz { get; }

    /// <summary>Nominal bit rate in bit/s as listed by the regional parameters.</summary>
    public int BitRate { get; }

    public bool IsUplink { get; }

    public bool IsDownlink { get; }

    /// <summary>Maximum MACPayload size M in bytes (no repeater, no dwell-time limit).</summary>
    public int MaxMacPayloadSize { get; }

    /// <summary>M when a 400 ms dwell-time limit applies; equal to <see cref="MaxMacPayloadSize"/> where the region has no separate value.</summary>
    public int MaxMacPayloadSizeDwellLimited { get; }

    /// <summary>Maximum application payload size N = M − 8 (FOpts absent).</summary>
    public int MaxApplicationPayloadSize => MaxMacPayloadSize - MacOverheadWithoutFOpts;

    public bool IsLoRa => Modulation == Modulation.LoRa;

    internal int MaxMacPayload(bool dwellTimeLimited) => dwellTimeLimited ? MaxMacPayloadSizeDwellLimited : MaxMacPayloadSize;

    internal static int ApplicationPayloadFromMac(int maxMacPayloadSize) => maxMacPayloadSize - MacOverheadWithoutFOpts;

    public override string ToString() => Modulation switch
    {
        Modulation.LoRa => string.Create(CultureInfo.InvariantCulture, $"DR{Index} (LoRa SF{SpreadingFactor}/{BandwidthHz / 1000} kHz)"),
        Modulation.Fsk => string.Create(CultureInfo.InvariantCulture, $"DR{Index} (FSK {BitRate / 1000} kbps)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"DR{Index} (LR-FHSS CR{CodingRate} {OccupiedChannelWidthHz / 1000} kHz)"),
    };
}
