using WirelessNet.Lns.Storage;

namespace WirelessNet.Lns.Tests.Storage;

/// <summary>The store contract against the in-memory store, on a manual clock.</summary>
public sealed class InMemoryStoreContractTests : StoreContractTests<InMemoryStore>
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));

    public InMemoryStoreContractTests() => Store = new InMemoryStore(_time);

    protected override InMemoryStore Store { get; }

    protected override Task LetTimePassAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }
}
