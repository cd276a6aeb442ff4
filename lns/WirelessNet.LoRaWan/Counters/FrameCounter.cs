namespace WirelessNet.LoRaWan.Counters;

/// <summary>How a received 16-bit counter relates to the session's last accepted counter.</summary>
public enum FrameCounterStatus : byte
{
    /// <summary>A counter beyond the last accepted one, within the allowed gap.</summary>
    Next,

    /// <summary>The same counter as the last accepted frame: a retransmission (NbTrans) of it.</summary>
    Retransmission,

    /// <summary>Older than the last accepted counter: a replay or a frame out of order.</summary>
    Replay,

    /// <summary>Further ahead than the configured maximum gap.</summary>
    GapTooLarge,

    /// <summary>The 32-bit counter space is exhausted; the device must rejoin.</summary>
    Exhausted,
}

/// <summary>The reconstructed 32-bit counter and its status.</summary>
public readonly record struct FrameCounterResult(uint FCnt, FrameCounterStatus Status)
{
    public bool IsAcceptable => Status is FrameCounterStatus.Next or FrameCounterStatus.Retransmission;
}

/// <summary>
/// Reconstructs 32-bit frame counters from the 16 low bits frames carry. The candidate is the smallest counter
/// greater than the last accepted one with those low bits, which handles rollover of the low half; a frame
/// repeating the last counter exactly is a retransmission.
/// </summary>
public static class FrameCounter
{
    /// <summary>The gap LoRaWAN 1.0.x recommended (MAX_FCNT_GAP); 1.0.4 and 1.1 dropped it, so servers choose.</summary>
    public const uint DefaultMaxGap = 16384;

    /// <param name="lastAccepted">Last accepted 32-bit counter, or null when the session has accepted no frame yet.</param>
    /// <param name="wire">The 16-bit counter in the received frame.</param>
    /// <param name="maxGap">Largest allowed jump from the expected next counter.</param>
    public static FrameCounterResult Reconstruct(uint? lastAccepted, ushort wire, uint maxGap = DefaultMaxGap)
    {
        if (lastAccepted is not { } last)
        {
            // First frame of a session: counters start at 0; anything within the gap is acceptable.
            return wire <= maxGap ? new(wire, FrameCounterStatus.Next) : new(wire, FrameCounterStatus.GapTooLarge);
        }

        if ((ushort)last == wire)
        {
            return new(last, FrameCounterStatus.Retransmission);
        }

        if (last == uint.MaxValue)
        {
            return new(last, FrameCounterStatus.Exhausted);
        }

        ulong candidate = (last & 0xFFFF_0000u) | wire;
        if (candidate < last)
        {
            candidate += 0x1_0000;
        }

        if (candidate > uint.MaxValue)
        {
            return new((uint)(candidate & 0xFFFF_FFFF), FrameCounterStatus.Exhausted);
        }

        // A frame slightly older than the last accepted would otherwise look like a jump of almost 65536.
        var behind = (ushort)((ushort)last - wire);
        if (behind is > 0 and < 0x8000 && candidate - last > maxGap)
        {
            return new((uint)(last - behind), FrameCounterStatus.Replay);
        }

        // 'candidate - last - 1' frames were missed.
        return candidate - last - 1 > maxGap
            ? new((uint)candidate, FrameCounterStatus.GapTooLarge)
            : new((uint)candidate, FrameCounterStatus.Next);
    }
}
