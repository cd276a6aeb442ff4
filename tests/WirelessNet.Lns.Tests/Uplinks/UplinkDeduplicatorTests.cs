using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Uplinks;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Uplinks;

public sealed class UplinkDeduplicatorTests
{
    private static readonly byte[] Frame = [0x40, 0x01, 0x02, 0x03, 0x04, 0x00, 0x07, 0x00, 0x0a, 0xaa, 0xbb, 0xcc, 0xdd, 0x11, 0x22];

    [Fact]
    public async Task Copies_reaching_the_collecting_instance_stay_in_process_and_are_all_merged()
    {
        var store = new CountingStore();
        var deduplicator = NewDeduplicator(store);

        var copies = Enumerable.Range(1, 3).Select(i => deduplicator.AddAsync(Reception(i), default).AsTask()).ToArray();
        var results = await Task.WhenAll(copies);

        var uplink = Assert.Single(results, r => r is not null)!;
        Assert.Equal([1UL, 2UL, 3UL], uplink.Receptions.Select(r => r.GatewayId.Value).Order());
        Assert.Equal(1, store.Adds);
        Assert.Equal(1, store.Reads);
    }

    [Fact]
    public async Task Copies_from_another_instance_come_through_the_store()
    {
        var store = new CountingStore();
        var collector = NewDeduplicator(store);
        var other = NewDeduplicator(store);

        var collecting = collector.AddAsync(Reception(1), default).AsTask();
        await Task.Delay(20);
        Assert.Null(await other.AddAsync(Reception(2), default));
        Assert.Null(await other.AddAsync(Reception(3), default));
        var uplink = await collecting;

        Assert.Equal([1UL, 2UL, 3UL], uplink!.Receptions.Select(r => r.GatewayId.Value).Order());
        Assert.Equal(3, store.Adds);
    }

    [Fact]
    public async Task A_copy_after_the_window_is_a_duplicate_not_a_new_frame()
    {
        var store = new CountingStore();
        var deduplicator = NewDeduplicator(store);

        Assert.NotNull(await deduplicator.AddAsync(Reception(1), default));
        Assert.Null(await deduplicator.AddAsync(Reception(2), default));
        Assert.Equal(2, store.Adds);
    }

    private static UplinkDeduplicator NewDeduplicator(IDeduplicationStore store) => new(
        store,
        Options.Create(new NetworkServerOptions { DeduplicationWindow = TimeSpan.FromMilliseconds(200) }),
        new PipelineMetrics(),
        TimeProvider.System,
        NullLogger<UplinkDeduplicator>.Instance);

    private static UplinkReception Reception(int gateway) => new()
    {
        GatewayId = new Eui64((ulong)gateway),
        PhyPayload = Frame,
        FrequencyHz = 868_100_000,
        Modulation = new LoRaModulation(7, 125_000, 5),
        Rssi = -80 - gateway,
        Snr = 5,
        ReceivedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>The in-memory store, counting what reaches it.</summary>
    private sealed class CountingStore : IDeduplicationStore
    {
        private readonly InMemoryStore _store = new();
        private int _adds;
        private int _reads;

        public int Adds => Volatile.Read(ref _adds);

        public int Reads => Volatile.Read(ref _reads);

        public ValueTask<bool> AddReceptionAsync(string key, ReadOnlyMemory<byte> reception, TimeSpan lifetime, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _adds);
            return _store.AddReceptionAsync(key, reception, lifetime, cancellationToken);
        }

        public ValueTask<IReadOnlyList<byte[]>> GetReceptionsAsync(string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return _store.GetReceptionsAsync(key, cancellationToken);
        }
    }
}
