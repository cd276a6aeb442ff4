namespace WirelessNet.Lns.Devices;

/// <summary>LoRaWAN MAC layer version a device implements.</summary>
public enum MacVersion
{
    LoRaWan1_0_2,
    LoRaWan1_0_3,
    LoRaWan1_0_4,
    LoRaWan1_1_0,
}

public static class MacVersionRules
{
    public static bool Is11(this MacVersion version) => version == MacVersion.LoRaWan1_1_0;

    /// <summary>1.0.4 and 1.1 devices send increasing DevNonces; older ones random, never repeated.</summary>
    public static bool DevNonceMustIncrease(this MacVersion version) => version is MacVersion.LoRaWan1_0_4 or MacVersion.LoRaWan1_1_0;
}
