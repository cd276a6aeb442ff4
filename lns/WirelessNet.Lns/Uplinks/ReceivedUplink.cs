using WirelessNet.Lns.Gateways;

namespace WirelessNet.Lns.Uplinks;


/// <summary>One frame after deduplication: its PHYPayload and every gateway reception of it.</summary>
public sealed record ReceivedUplink(Guid DeduplicationId, byte[] PhyPayload, IReadOnlyList<UplinkReception> Receptions)
{
    /// <summary>The reception with the best SNR, RSSI breaking ties: where a Class A answer is sent.</summary>
    public UplinkReception BestReception
    {
        get
        {
            var best = Receptions[0];
            foreach (var r in Receptions)
            {
                if (r.Snr > best.Snr || (r.Snr == best.Snr && r.Rssi > best.Rssi))
                {
                    best = r;
                }
            }

            return best;
        }
    }

    public float MaxSnr
    {
        get
        {
            var max = float.MinValue;
            foreach (var r in Receptions)
            {
                max = Math.Max(max, r.Snr);
            }

            return max;
        }
    }
}
