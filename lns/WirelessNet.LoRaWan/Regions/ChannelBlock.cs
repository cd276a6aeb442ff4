namespace WirelessNet.LoRaWan.Regions;

// A run of evenly spaced channels (fixed channel plans describe their 64 + 8 uplink and 8 downlink
// channels this way instead of listing 80 frequencies). FirstChannel is the channel number of the
// block's first frequency within the plan.
internal readonly record struct ChannelBlock(
    int FirstChannel,
    ulong FirstFrequencyHz,
    ulong StepHz,
    int Count,
    int BandwidthHz,
    int MinDataRate,
    int MaxDataRate)
{
    public ulong FrequencyOf(int offsetInBlock) => FirstFrequencyHz + (StepHz * (ulong)offsetInBlock);

    public bool TryGetOffset(ulong frequencyHz, out int offsetInBlock)
    {
        offsetInBlock = -1;
        if (frequencyHz < FirstFrequencyHz)
        {
            return false;
        }

        var delta = frequencyHz - FirstFrequencyHz;
        if (delta % StepHz != 0)
        {
            return false;
        }

        var offset = delta / StepHz;
        if (offset >= (ulong)Count)
        {
            return false;
        }

        offsetInBlock = (int)offset;
        return true;
    }
}
