using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage;

/// <summary>State of the join procedure per device: DevNonces seen and the JoinNonce counter.</summary>
public interface IJoinStore
{
    /// <summary>
    /// Records <paramref name="devNonce"/> if it is acceptable: greater than every earlier one when
    /// <paramref name="mustIncrease"/> (LoRaWAN 1.0.4, 1.1), otherwise never seen before. Atomic.
    /// </summary>
    ValueTask<bool> TryUseDevNonceAsync(Eui64 devEui, ushort devNonce, bool mustIncrease, CancellationToken cancellationToken);

    /// <summary>The next JoinNonce (24-bit, increasing per device).</summary>
    ValueTask<uint> NextJoinNonceAsync(Eui64 devEui, CancellationToken cancellationToken);
}
