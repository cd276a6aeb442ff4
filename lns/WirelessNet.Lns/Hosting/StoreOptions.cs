namespace WirelessNet.Lns.Hosting;

public enum StoreKind
{
    /// <summary>Everything in this process; lost on restart. The zero-configuration default.</summary>
    InMemory,

    /// <summary>Redis (standalone or Cluster), configured in the <c>Redis</c> section.</summary>
    Redis,
}

/// <summary>Which store the server uses, bound from the <c>Store</c> configuration section.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    public StoreKind Kind { get; set; } = StoreKind.InMemory;
}
