using WirelessNet.Helium.Crypto;

namespace WirelessNet.Poc.Hotspots;

/// <summary>
/// Operator denylist: hotspot keys that may neither beacon nor witness, and directed (beaconer, witness) edges whose
/// witnesses are rejected (e.g. a pair caught colluding). Empty by default. Not thread-safe while being built;
/// read-only use from several threads is safe.
/// </summary>
public sealed class PocDenylist
{
    private readonly HashSet<HeliumPublicKey> _keys = [];
    private readonly HashSet<(HeliumPublicKey Beaconer, HeliumPublicKey Witness)> _edges = [];

    /// <summary>A denylist with nothing on it.</summary>
    public static PocDenylist Empty { get; } = new();

    public int KeyCount => _keys.Count;

    public int EdgeCount => _edges.Count;

    public PocDenylist DenyKey(HeliumPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfShared();
        _keys.Add(key);
        return this;
    }

    /// <summary>Denies witnesses of <paramref name="beaconer"/> by <paramref name="witness"/> (one direction only).</summary>
    public PocDenylist DenyEdge(HeliumPublicKey beaconer, HeliumPublicKey witness)
    {
        ArgumentNullException.ThrowIfNull(beaconer);
        ArgumentNullException.ThrowIfNull(witness);
        ThrowIfShared();
        _edges.Add((beaconer, witness));
        return this;
    }

    public bool IsDenied(HeliumPublicKey key) => _keys.Count != 0 && _keys.Contains(key);

    public bool IsEdgeDenied(HeliumPublicKey beaconer, HeliumPublicKey witness) =>
        _edges.Count != 0 && _edges.Contains((beaconer, witness));

    // The shared empty instance must stay empty: every validator built without a denylist points at it.
    private void ThrowIfShared()
    {
        if (ReferenceEquals(this, Empty))
        {
            throw new InvalidOperationException("PocDenylist.Empty is shared; create a new PocDenylist to add entries.");
        }
    }
}
