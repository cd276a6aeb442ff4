namespace WirelessNet.Lns.Storage;

/// <summary>
/// Collects the receptions of one frame across gateways and server instances. The first instance to add a
/// reception under a key becomes its collector: it waits for the deduplication window, then reads every reception.
/// </summary>
public interface IDeduplicationStore
{
    /// <summary>Adds a reception; true when this call created the set (the caller collects it).</summary>
    ValueTask<bool> AddReceptionAsync(string key, ReadOnlyMemory<byte> reception, TimeSpan lifetime, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<byte[]>> GetReceptionsAsync(string key, CancellationToken cancellationToken);
}
