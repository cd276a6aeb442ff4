using System.Globalization;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.LoRaWan.Adr;

/// <summary>
/// The widely used network-side ADR algorithm, matching ChirpStack's "default" handler (LoRa only):
/// <list type="number">
/// <item>margin = max SNR of the history − required SNR of the current data rate's SF − installation margin;</item>
/// <item>steps = margin / 3 dB, truncated toward zero (ChirpStack casts the float to an integer, so −2.9 dB is 0
/// steps, not −1);</item>
/// <item>each positive step raises the data rate up to the cap, then lowers power (raises the TXPower index) up to the
/// device's maximum index; each negative step raises power (lowers the index) down to 0 — the data rate is never
/// lowered except to bring it under the cap;</item>
/// <item>NbTrans follows the packet loss of a full history (FCnt gaps) through a 4 × 3 table.</item>
/// </list>
/// History handling, as ChirpStack: positive steps are applied on any non-empty history; negative steps (more power)
/// wait until the last <see cref="HistoryLength"/> uplinks were all sent at the current TXPower index, so power does
/// not flap; packet loss counts as 0 % until the history is full (so NbTrans may already step down).
/// Evaluation is pure and allocation-free. Only call it for devices with the ADR bit set.
/// </summary>
public static class DefaultAdrAlgorithm
{
    /// <summary>Uplinks the algorithm looks at; longer histories are cut to the most recent ones.</summary>
    public const int HistoryLength = 20;

    public const float DefaultInstallationMarginDb = 10f;

    private const float DbPerStep = 3f;

    // Bounds the step loop for absurd SNRs; every data rate and TXPower index has saturated long before.
    private const int MaxSteps = 32;

    // Rows: packet loss < 5 %, < 10 %, < 30 %, ≥ 30 %. Columns: current NbTrans 1, 2, 3.
    private static ReadOnlySpan<byte> NbTransTable => [1, 1, 2, 1, 2, 3, 2, 3, 3, 3, 3, 3];

    /// <summary>Decides the data rate, TXPower index and NbTrans for a device from its recent uplinks.</summary>
    /// <param name="region">The device's region: maps the current data rate to its SF and caps the data rate at the highest 125 kHz LoRa one.</param>
    /// <param name="request">Current settings and ceilings.</param>
    /// <param name="history">Recent uplinks, oldest first.</param>
    /// <exception cref="ArgumentOutOfRangeException">The data rate is not defined by the region, or an index is negative or beyond the region's range.</exception>
    public static AdrDecision Evaluate(RegionParameters region, in AdrRequest request, ReadOnlySpan<UplinkRecord> history)
    {
        ArgumentNullException.ThrowIfNull(region);
        var current = region.GetDataRate(request.DataRate);
        Validate(region, request);

        if (history.Length > HistoryLength)
        {
            history = history[^HistoryLength..];
        }

        var maxDataRate = Math.Min(request.MaxDataRate, region.MaxAdrDataRate);
        var dataRate = Math.Min(request.DataRate, maxDataRate);
        var txPowerIndex = request.TxPowerIndex;
        var nbTrans = NbTransFor(request.NbTrans, PacketLossPercent(history));

        // ChirpStack treats non-LoRa data rates as needing 0 dB; kept for parity.
        var requiredSnr = current.IsLoRa ? RequiredSnrDb(current.SpreadingFactor) : 0f;
        var steps = StepCount(MaxSnrDb(history) - requiredSnr - request.InstallationMarginDb);

        if (steps < 0 && CountAtTxPowerIndex(history, request.TxPowerIndex) < HistoryLength)
        {
            steps = 0;
        }

        for (; steps > 0; steps--)
        {
            if (dataRate < maxDataRate)
            {
                dataRate++;
            }
            else if (txPowerIndex < request.MaxTxPowerIndex)
            {
                txPowerIndex++;
            }
            else
            {
                break;
            }
        }

        if (steps < 0)
        {
            txPowerIndex = Math.Max(0, txPowerIndex + steps);
        }

        var changed = dataRate != request.DataRate || txPowerIndex != request.TxPowerIndex || nbTrans != request.NbTrans;
        return new AdrDecision(dataRate, txPowerIndex, nbTrans, changed);
    }

    /// <summary>SNR in dB a LoRa demodulator needs at a spreading factor (SF6 −5 … SF12 −20, 2.5 dB per SF).</summary>
    public static float RequiredSnrDb(int spreadingFactor) => spreadingFactor switch
    {
        6 => -5f,
        7 => -7.5f,
        8 => -10f,
        9 => -12.5f,
        10 => -15f,
        11 => -17.5f,
        12 => -20f,
        _ => throw new ArgumentOutOfRangeException(nameof(spreadingFactor), spreadingFactor, "Spreading factors range from 6 to 12."),
    };

    /// <summary>
    /// Lost uplinks (FCnt gaps) as a percentage of the history length, ChirpStack style; 0 until the history is full.
    /// A counter that does not increase (reset, duplicate) counts as no loss rather than a huge gap.
    /// </summary>
    internal static float PacketLossPercent(ReadOnlySpan<UplinkRecord> history)
    {
        if (history.Length < HistoryLength)
        {
            return 0f;
        }

        ulong lost = 0;
        for (var i = 1; i < history.Length; i++)
        {
            var previous = history[i - 1].FCnt;
            var fCnt = history[i].FCnt;
            if (fCnt > previous)
            {
                lost += fCnt - previous - 1;
            }
        }

        return (float)lost / history.Length * 100f;
    }

    internal static int NbTransFor(int currentNbTrans, float packetLossPercent)
    {
        var column = Math.Clamp(currentNbTrans, 1, 3) - 1;
        var row = packetLossPercent switch
        {
            < 5f => 0,
            < 10f => 1,
            < 30f => 2,
            _ => 3,
        };

        return NbTransTable[(row * 3) + column];
    }

    internal static int StepCount(float marginDb)
    {
        if (float.IsNaN(marginDb))
        {
            return 0;
        }

        return (int)Math.Clamp(MathF.Truncate(marginDb / DbPerStep), -MaxSteps, MaxSteps);
    }

    private static float MaxSnrDb(ReadOnlySpan<UplinkRecord> history)
    {
        // ChirpStack's starting value: with no history every margin is hugely negative, which then waits for history.
        var max = -999f;
        foreach (var record in history)
        {
            if (record.MaxSnrDb > max)
            {
                max = record.MaxSnrDb;
            }
        }

        return max;
    }

    private static int CountAtTxPowerIndex(ReadOnlySpan<UplinkRecord> history, int txPowerIndex)
    {
        var count = 0;
        foreach (var record in history)
        {
            if (record.TxPowerIndex == txPowerIndex)
            {
                count++;
            }
        }

        return count;
    }

    private static void Validate(RegionParameters region, in AdrRequest request)
    {
        if (request.TxPowerIndex < 0 || request.TxPowerIndex > region.MaxTxPowerIndex)
        {
            throw OutOfRange(nameof(request.TxPowerIndex), request.TxPowerIndex, region.MaxTxPowerIndex, region);
        }

        if (request.MaxTxPowerIndex < 0 || request.MaxTxPowerIndex > region.MaxTxPowerIndex)
        {
            throw OutOfRange(nameof(request.MaxTxPowerIndex), request.MaxTxPowerIndex, region.MaxTxPowerIndex, region);
        }

        if (request.MaxDataRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxDataRate, "MaxDataRate cannot be negative.");
        }
    }

    private static ArgumentOutOfRangeException OutOfRange(string field, int value, int max, RegionParameters region) =>
        new(
            "request",
            value,
            string.Create(CultureInfo.InvariantCulture, $"{field} {value} is outside 0..{max} for {region.Name}."));
}
