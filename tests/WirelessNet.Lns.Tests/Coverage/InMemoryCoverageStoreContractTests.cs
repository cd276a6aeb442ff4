using WirelessNet.Coverage.Measured;

namespace WirelessNet.Lns.Tests.Coverage;

/// <summary>The coverage store contract against the in-process store (the zero-configuration run).</summary>
public sealed class InMemoryCoverageStoreContractTests : CoverageStoreContractTests
{
    private readonly InMemoryCoverageStore _store = new();

    protected override ICoverageStore Store => _store;

    // One process, one store: concurrent writers are concurrent callers of the same object.
    protected override Task<ICoverageStore> OtherWriterAsync() => Task.FromResult<ICoverageStore>(_store);
}
