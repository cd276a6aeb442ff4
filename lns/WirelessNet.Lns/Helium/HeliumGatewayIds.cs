using System.Buffers.Binary;
using System.Security.Cryptography;
using WirelessNet.Helium.Crypto;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Helium;

/// <summary>
/// How a Helium hotspot, known by its public key, maps to the 64-bit gateway id the rest of the server uses:
/// the first 8 bytes of SHA-256 over the key's binary form (prefix byte included), read big-endian.
/// </summary>
/// <remarks>
/// Hotspots have no EUI of their own. Hashing the whole binary key (rather than, say, truncating it) makes the id
/// stable, spreads ids evenly, and keeps an ed25519 key and a P-256 key with the same 32 key bytes apart. Operators
/// provision a hotspot under <see cref="FromPublicKey(HeliumPublicKey)"/> of its key; a collision would need a
/// 64-bit second preimage, and even then the stream is bound to the key, not the id.
/// </remarks>
public static class HeliumGatewayIds
{
    public static Eui64 FromPublicKey(HeliumPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return FromBinaryKey(key.AsSpan());
    }

    /// <summary>The id of a key in its binary form (not validated: callers parse the key first).</summary>
    public static Eui64 FromBinaryKey(ReadOnlySpan<byte> binaryKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(binaryKey, hash);
        return new Eui64(BinaryPrimitives.ReadUInt64BigEndian(hash));
    }
}
