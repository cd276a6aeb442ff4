namespace WirelessNet.LoRaWan.Regions;

// A sub-band whose downlink EIRP differs from the region default (e.g. ETSI band P, 869.4–869.65 MHz).
// MaxFrequencyHz is exclusive.
internal readonly record struct DownlinkTxPowerRange(ulong MinFrequencyHz, ulong MaxFrequencyHz, int EirpDbm);
