using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace WirelessNet.Helium.Crypto;

/// <summary>
/// A Helium public key in its binary form, <c>prefix ‖ key</c> with prefix = network | key type (33 bytes for
/// both ecc_compact and ed25519), displayed as a base58check address. Instances are immutable and thread-safe;
/// the platform key objects that verification needs are imported once per instance and reused, so keep and
/// share instances (e.g. one per gateway) rather than re-parsing per message.
/// </summary>
public sealed class HeliumPublicKey : IEquatable<HeliumPublicKey>
{
    /// <summary>Length of the binary form of every key type handled here.</summary>
    public const int BinaryLength = 1 + KeyLength;

    /// <summary>Base58check version byte of a Helium address.</summary>
    internal const byte AddressVersion = 0x00;

    private const int KeyLength = 32;
    private const int Ed25519SignatureLength = 64;

    private readonly byte[] _binary;
    private readonly int _hashCode;

    // ecc_compact: the Y the compact X implies, computed once at parse so a bad X fails there, not at verify.
    private readonly byte[]? _eccCompactY;

    // ed25519: NSec keys are immutable and libsodium verification is reentrant, so one instance serves all threads.
    private readonly NSec.Cryptography.PublicKey? _ed25519;

    // ecc_compact: one idle verifier, taken and put back with Interlocked so that concurrent verifications never
    // share an ECDsa instance (whose instance members are not documented as thread-safe) and never block;
    // a thread that finds the slot empty imports its own and keeps it only if the slot is free again.
    private ECDsa? _idleEcdsaVerifier;

    private string? _address;

    private HeliumPublicKey(byte[] binary, byte[]? eccCompactY, NSec.Cryptography.PublicKey? ed25519)
    {
        _binary = binary;
        _eccCompactY = eccCompactY;
        _ed25519 = ed25519;
        var hash = default(HashCode);
        hash.AddBytes(binary);
        _hashCode = hash.ToHashCode();
    }

    /// <summary>Network from the prefix byte's high nibble.</summary>
    public HeliumNetwork Network => (HeliumNetwork)(_binary[0] & 0xF0);

    /// <summary>Key algorithm from the prefix byte's low nibble.</summary>
    public HeliumKeyType KeyType => (HeliumKeyType)(_binary[0] & 0x0F);

    /// <summary>The binary form, without copying.</summary>
    public ReadOnlySpan<byte> AsSpan() => _binary;

    /// <summary>A copy of the binary form (prefix ‖ key).</summary>
    public byte[] ToBytes() => (byte[])_binary.Clone();

    /// <summary>The base58check address: base58(0x00 ‖ binary ‖ first 4 bytes of SHA-256(SHA-256(0x00 ‖ binary))).</summary>
    public string ToAddress()
    {
        // Racing threads compute the same string; whichever store lands is as good as the other.
        return _address ??= ComputeAddress();
    }

    /// <summary>The address, so logs and debuggers show what Helium tools show.</summary>
    public override string ToString() => ToAddress();

    /// <summary>Parses a binary key; false for anything that is not a well-formed ecc_compact or ed25519 key.</summary>
    public static bool TryParse(ReadOnlySpan<byte> binary, [NotNullWhen(true)] out HeliumPublicKey? key) =>
        TryParse(binary, out key, out _);

    /// <summary>Parses a binary key, reporting why it was rejected.</summary>
    public static bool TryParse(ReadOnlySpan<byte> binary, [NotNullWhen(true)] out HeliumPublicKey? key, out HeliumKeyError error)
    {
        key = null;
        error = Validate(binary, out var keyType);
        if (error != HeliumKeyError.None)
        {
            return false;
        }

        var keyBytes = binary[1..];
        if (keyType == HeliumKeyType.EccCompact)
        {
            var y = new byte[KeyLength];
            if (!P256Compact.TryDecompact(keyBytes, y))
            {
                error = HeliumKeyError.InvalidPoint;
                return false;
            }

            key = new HeliumPublicKey(binary.ToArray(), y, null);
            return true;
        }

        if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, keyBytes, KeyBlobFormat.RawPublicKey, out var ed25519) || ed25519 is null)
        {
            error = HeliumKeyError.InvalidPoint;
            return false;
        }

        key = new HeliumPublicKey(binary.ToArray(), null, ed25519);
        return true;
    }

    /// <summary>Parses a binary key, throwing <see cref="FormatException"/> with the reason when it is invalid.</summary>
    public static HeliumPublicKey Parse(ReadOnlySpan<byte> binary) =>
        TryParse(binary, out var key, out var error) ? key : throw new FormatException($"Not a Helium public key: {error}.");

    /// <summary>Parses a base58check address; false for bad base58, a bad checksum, a non-zero version or an invalid key.</summary>
    public static bool TryParseAddress(string? address, [NotNullWhen(true)] out HeliumPublicKey? key) =>
        TryParseAddress(address, out key, out _);

    /// <summary>Parses a base58check address, reporting why it was rejected.</summary>
    public static bool TryParseAddress(string? address, [NotNullWhen(true)] out HeliumPublicKey? key, out HeliumKeyError error)
    {
        key = null;
        if (address is null || !Base58Check.TryDecodeCheck(address, out var payload) || payload.Length == 0 || payload[0] != AddressVersion)
        {
            error = HeliumKeyError.InvalidAddress;
            return false;
        }

        return TryParse(payload.AsSpan(1), out key, out error);
    }

    /// <summary>Parses a base58check address, throwing <see cref="FormatException"/> with the reason when it is invalid.</summary>
    public static HeliumPublicKey ParseAddress(string address) =>
        TryParseAddress(address, out var key, out var error) ? key : throw new FormatException($"Not a Helium address: {error}.");

    /// <summary>
    /// Checks <paramref name="signature"/> over <paramref name="message"/>: for ecc_compact a DER ECDSA signature
    /// over SHA-256(message), for ed25519 a 64-byte signature over the message itself. Never throws for bad input;
    /// anything that is not a valid signature by this key is false.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        KeyType == HeliumKeyType.EccCompact ? VerifyEccCompact(message, signature) : VerifyEd25519(message, signature);

    /// <inheritdoc />
    public bool Equals(HeliumPublicKey? other) =>
        other is not null && (ReferenceEquals(this, other) || _binary.AsSpan().SequenceEqual(other._binary));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as HeliumPublicKey);

    /// <inheritdoc />
    public override int GetHashCode() => _hashCode;

    /// <summary>Equal when the binary forms are equal.</summary>
    public static bool operator ==(HeliumPublicKey? left, HeliumPublicKey? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Not equal when the binary forms differ.</summary>
    public static bool operator !=(HeliumPublicKey? left, HeliumPublicKey? right) => !(left == right);

    /// <summary>Key for a freshly generated or imported ecc_compact key pair whose (compact) point is already known.</summary>
    internal static HeliumPublicKey ForEccCompact(HeliumNetwork network, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var binary = new byte[BinaryLength];
        binary[0] = Prefix(network, HeliumKeyType.EccCompact);
        x.CopyTo(binary.AsSpan(1));
        return new HeliumPublicKey(binary, y.ToArray(), null);
    }

    /// <summary>Key for a freshly generated or imported ed25519 key pair.</summary>
    internal static HeliumPublicKey ForEd25519(HeliumNetwork network, NSec.Cryptography.PublicKey publicKey)
    {
        var binary = new byte[BinaryLength];
        binary[0] = Prefix(network, HeliumKeyType.Ed25519);
        publicKey.Export(KeyBlobFormat.RawPublicKey).CopyTo(binary.AsSpan(1));

        // Re-imported so the public key outlives the key pair it came from, which may be disposed.
        return Parse(binary);
    }

    /// <summary>The prefix byte: network in the high nibble, key type in the low one.</summary>
    internal static byte Prefix(HeliumNetwork network, HeliumKeyType keyType) => (byte)((byte)network | (byte)keyType);

    /// <summary>Checks the prefix byte and the length; the key type is valid only when the result is <see cref="HeliumKeyError.None"/>.</summary>
    internal static HeliumKeyError ValidatePrefix(byte prefix, out HeliumKeyType keyType)
    {
        keyType = (HeliumKeyType)(prefix & 0x0F);
        if ((prefix & 0xF0) is not ((byte)HeliumNetwork.MainNet or (byte)HeliumNetwork.TestNet))
        {
            return HeliumKeyError.UnknownNetwork;
        }

        return keyType is HeliumKeyType.EccCompact or HeliumKeyType.Ed25519 ? HeliumKeyError.None : HeliumKeyError.UnknownKeyType;
    }

    private static HeliumKeyError Validate(ReadOnlySpan<byte> binary, out HeliumKeyType keyType)
    {
        keyType = default;
        if (binary.IsEmpty)
        {
            return HeliumKeyError.InvalidLength;
        }

        var error = ValidatePrefix(binary[0], out keyType);
        if (error != HeliumKeyError.None)
        {
            return error;
        }

        return binary.Length == BinaryLength ? HeliumKeyError.None : HeliumKeyError.InvalidLength;
    }

    private string ComputeAddress()
    {
        Span<byte> payload = stackalloc byte[1 + BinaryLength];
        payload[0] = AddressVersion;
        _binary.CopyTo(payload[1..]);
        return Base58Check.EncodeCheck(payload);
    }

    private bool VerifyEd25519(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == Ed25519SignatureLength && SignatureAlgorithm.Ed25519.Verify(_ed25519!, message, signature);

    private bool VerifyEccCompact(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        // Validated here (strict DER, cheap, no exceptions) but handed on as DER, the platform's native form on
        // OpenSSL, which spares it a fixed-width-to-DER conversion.
        Span<byte> rs = stackalloc byte[EcdsaDer.P1363Length];
        if (!EcdsaDer.TryToP1363(signature, rs))
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(message, hash);

        var verifier = Interlocked.Exchange(ref _idleEcdsaVerifier, null);
        try
        {
            verifier ??= CreateEcdsaVerifier();
            return verifier.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // r or s out of range for the platform, or an import failure: not a valid signature either way.
            return false;
        }
        finally
        {
            if (verifier is not null && Interlocked.CompareExchange(ref _idleEcdsaVerifier, verifier, null) is not null)
            {
                verifier.Dispose();
            }
        }
    }

    private ECDsa CreateEcdsaVerifier()
    {
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = _binary.AsSpan(1).ToArray(), Y = (byte[])_eccCompactY!.Clone() },
        };
        return ECDsa.Create(parameters);
    }
}
