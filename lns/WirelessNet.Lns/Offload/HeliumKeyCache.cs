using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using WirelessNet.Helium.Crypto;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// Parsed Helium keys by their binary form. Parsing an ecc_compact key decompresses its point (tens of µs), and a
/// parsed key keeps its ECDSA verifier and address, so reusing the instance for the same hotspot's next record
/// removes most of the per-record key cost. Look-ups by span allocate nothing. Bounded: at the cap it starts over.
/// </summary>
internal sealed class HeliumKeyCache
{
    private readonly ConcurrentDictionary<byte[], HeliumPublicKey> _keys = new(KeyBytesComparer.Instance);
    private readonly ConcurrentDictionary<byte[], HeliumPublicKey>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    private readonly int _capacity;

    public HeliumKeyCache(int capacity)
    {
        _capacity = capacity;
        _bySpan = _keys.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public static HeliumKeyCache Shared { get; } = new(1_000_000);

    public bool TryGet(ReadOnlySpan<byte> binary, [NotNullWhen(true)] out HeliumPublicKey? key)
    {
        if (_bySpan.TryGetValue(binary, out key))
        {
            return true;
        }

        if (!HeliumPublicKey.TryParse(binary, out key))
        {
            return false;
        }

        if (_keys.Count >= _capacity)
        {
            _keys.Clear();
        }

        _keys.TryAdd(binary.ToArray(), key);
        return true;
    }

    private sealed class KeyBytesComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static KeyBytesComparer Instance { get; } = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
