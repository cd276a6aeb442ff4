using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using WirelessNet.Helium.Crypto;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// Parsed hotspot keys by their binary form. A hotspot reports dozens of times a day and every report, and every
/// verification of its round, needs its key; importing an ed25519 or P-256 key each time is a measurable part of
/// checking a signature. Bounded: past <see cref="Capacity"/> keys it starts over (keys of a network fit many times).
/// </summary>
public sealed class PocKeyCache
{
    public const int Capacity = 1_000_000;
    private readonly ConcurrentDictionary<ByteString, HeliumPublicKey> _keys = new();

    public bool TryParse(ByteString binary, [NotNullWhen(true)] out HeliumPublicKey? key, out HeliumKeyError error)
    {
        ArgumentNullException.ThrowIfNull(binary);
        error = HeliumKeyError.None;
        if (_keys.TryGetValue(binary, out key))
        {
            return true;
        }

        if (!HeliumPublicKey.TryParse(binary.Span, out key, out error))
        {
            return false;
        }

        if (_keys.Count >= Capacity)
        {
            _keys.Clear();
        }

        _keys.TryAdd(binary, key);
        return true;
    }
}
