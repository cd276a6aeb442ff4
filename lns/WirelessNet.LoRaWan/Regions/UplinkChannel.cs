namespace WirelessNet.LoRaWan.Regions;

/// <summary>An uplink channel defined by a region's default channel plan.</summary>
public readonly record struct UplinkChannel(int Index, ulong FrequencyHz, int BandwidthHz, int MinDataRate, int MaxDataRate);
