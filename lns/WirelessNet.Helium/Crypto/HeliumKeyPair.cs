using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace WirelessNet.Helium.Crypto;

/// <summary>
/// A Helium signing key: ecc_compact (P-256, ECDSA/SHA-256, DER signatures) or ed25519. Signing is thread-safe.
/// The private key leaves only through <see cref="Export"/>, in helium-crypto's key pair binary form:
/// ecc_compact <c>prefix ‖ 32-byte scalar</c> (33 bytes), ed25519 <c>prefix ‖ 32-byte seed ‖ 32-byte public key</c>
/// (65 bytes). <see cref="ToString"/> shows only the public key.
/// </summary>
public sealed class HeliumKeyPair : IDisposable
{
    /// <summary>Binary length of an exported ecc_compact key pair.</summary>
    public const int EccCompactBinaryLength = 1 + ScalarLength;

    /// <summary>Binary length of an exported ed25519 key pair.</summary>
    public const int Ed25519BinaryLength = 1 + ScalarLength + ScalarLength;

    /// <summary>Longest signature <see cref="Sign(ReadOnlySpan{byte}, Span{byte})"/> writes (a DER ECDSA P-256 signature).</summary>
    public const int MaxSignatureLength = EcdsaDer.MaxLength;

    private const int ScalarLength = 32;

    private readonly ECDsa? _ecdsa;
    private readonly Key? _ed25519;

    // ECDsa instance members are not documented as thread-safe; signing is not a hot path, so a lock suffices.
    private readonly Lock _ecdsaLock = new();

    private HeliumKeyPair(HeliumPublicKey publicKey, ECDsa? ecdsa, Key? ed25519)
    {
        PublicKey = publicKey;
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
    }

    /// <summary>The public half.</summary>
    public HeliumPublicKey PublicKey { get; }

    /// <summary>Key algorithm.</summary>
    public HeliumKeyType KeyType => PublicKey.KeyType;

    /// <summary>Network the key is for.</summary>
    public HeliumNetwork Network => PublicKey.Network;

    /// <summary>
    /// A fresh random key. For ecc_compact, keys are drawn until the public point is the one its X coordinate
    /// implies (about half are), as helium-crypto does, since only those have a binary form.
    /// </summary>
    public static HeliumKeyPair Generate(HeliumKeyType keyType, HeliumNetwork network)
    {
        CheckArguments(keyType, network);
        if (keyType == HeliumKeyType.Ed25519)
        {
            var key = new Key(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            return new HeliumKeyPair(HeliumPublicKey.ForEd25519(network, key.PublicKey), null, key);
        }

        while (true)
        {
            var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var point = ecdsa.ExportParameters(includePrivateParameters: false).Q;
            if (P256Compact.IsCompact(point.Y))
            {
                return new HeliumKeyPair(HeliumPublicKey.ForEccCompact(network, point.X, point.Y), ecdsa, null);
            }

            ecdsa.Dispose();
        }
    }

    /// <summary>
    /// A deterministic key from 32 bytes of entropy (helium-crypto <c>generate_from_entropy</c>): the ed25519 seed,
    /// or the ecc_compact private scalar, which must be in range and yield a compact public key.
    /// </summary>
    /// <exception cref="ArgumentException">The entropy is not 32 bytes or is not a usable ecc_compact key.</exception>
    public static HeliumKeyPair FromEntropy(HeliumKeyType keyType, HeliumNetwork network, ReadOnlySpan<byte> entropy)
    {
        CheckArguments(keyType, network);
        if (entropy.Length != ScalarLength)
        {
            throw new ArgumentException($"Entropy must be {ScalarLength} bytes.", nameof(entropy));
        }

        if (keyType == HeliumKeyType.Ed25519)
        {
            var key = ImportEd25519Seed(entropy);
            return new HeliumKeyPair(HeliumPublicKey.ForEd25519(network, key.PublicKey), null, key);
        }

        var error = TryCreateEccCompact(network, entropy, out var keyPair);
        return keyPair ?? throw new ArgumentException($"Entropy is not a usable ecc_compact key: {error}.", nameof(entropy));
    }

    /// <summary>Imports helium-crypto's key pair binary form (see the type's remarks).</summary>
    public static bool TryImport(ReadOnlySpan<byte> binary, [NotNullWhen(true)] out HeliumKeyPair? keyPair) =>
        TryImport(binary, out keyPair, out _);

    /// <summary>Imports helium-crypto's key pair binary form, reporting why it was rejected.</summary>
    public static bool TryImport(ReadOnlySpan<byte> binary, [NotNullWhen(true)] out HeliumKeyPair? keyPair, out HeliumKeyError error)
    {
        keyPair = null;
        if (binary.IsEmpty)
        {
            error = HeliumKeyError.InvalidLength;
            return false;
        }

        error = HeliumPublicKey.ValidatePrefix(binary[0], out var keyType);
        if (error != HeliumKeyError.None)
        {
            return false;
        }

        var network = (HeliumNetwork)(binary[0] & 0xF0);
        if (keyType == HeliumKeyType.EccCompact)
        {
            if (binary.Length != EccCompactBinaryLength)
            {
                error = HeliumKeyError.InvalidLength;
                return false;
            }

            error = TryCreateEccCompact(network, binary[1..], out keyPair);
            return keyPair is not null;
        }

        if (binary.Length != Ed25519BinaryLength)
        {
            error = HeliumKeyError.InvalidLength;
            return false;
        }

        var key = ImportEd25519Seed(binary.Slice(1, ScalarLength));
        Span<byte> derived = stackalloc byte[ScalarLength];
        key.PublicKey.Export(KeyBlobFormat.RawPublicKey).CopyTo(derived);

        // helium-crypto stores the public half and trusts it; a mismatch would make every signature unverifiable.
        if (!derived.SequenceEqual(binary[(1 + ScalarLength)..]))
        {
            key.Dispose();
            error = HeliumKeyError.PublicKeyMismatch;
            return false;
        }

        keyPair = new HeliumKeyPair(HeliumPublicKey.ForEd25519(network, key.PublicKey), null, key);
        return true;
    }

    /// <summary>Imports helium-crypto's key pair binary form, throwing <see cref="FormatException"/> with the reason when invalid.</summary>
    public static HeliumKeyPair Import(ReadOnlySpan<byte> binary) =>
        TryImport(binary, out var keyPair, out var error) ? keyPair : throw new FormatException($"Not a Helium key pair: {error}.");

    /// <summary>The private key in helium-crypto's key pair binary form. Treat the result as a secret.</summary>
    public byte[] Export()
    {
        if (_ed25519 is not null)
        {
            var result = new byte[Ed25519BinaryLength];
            result[0] = HeliumPublicKey.Prefix(Network, KeyType);
            var seed = _ed25519.Export(KeyBlobFormat.RawPrivateKey);
            seed.CopyTo(result.AsSpan(1, ScalarLength));
            CryptographicOperations.ZeroMemory(seed);
            PublicKey.AsSpan()[1..].CopyTo(result.AsSpan(1 + ScalarLength));
            return result;
        }

        ECParameters parameters;
        lock (_ecdsaLock)
        {
            parameters = _ecdsa!.ExportParameters(includePrivateParameters: true);
        }

        try
        {
            var scalar = parameters.D!;
            var exported = new byte[EccCompactBinaryLength];
            exported[0] = HeliumPublicKey.Prefix(Network, KeyType);
            scalar.CopyTo(exported.AsSpan(1 + ScalarLength - scalar.Length));
            return exported;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    /// <summary>Signs <paramref name="message"/>: DER ECDSA over SHA-256 for ecc_compact, 64-byte ed25519 otherwise.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        Span<byte> signature = stackalloc byte[MaxSignatureLength];
        var length = Sign(message, signature);
        return signature[..length].ToArray();
    }

    /// <summary>Signs into <paramref name="signature"/> (at least <see cref="MaxSignatureLength"/> bytes) and returns the length written.</summary>
    public int Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        if (signature.Length < MaxSignatureLength)
        {
            throw new ArgumentException($"The destination must hold {MaxSignatureLength} bytes.", nameof(signature));
        }

        if (_ed25519 is not null)
        {
            SignatureAlgorithm.Ed25519.Sign(_ed25519, message, signature[..SignatureAlgorithm.Ed25519.SignatureSize]);
            return SignatureAlgorithm.Ed25519.SignatureSize;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(message, hash);
        int written;
        bool signed;
        lock (_ecdsaLock)
        {
            signed = _ecdsa!.TrySignHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence, out written);
        }

        return signed ? written : throw new CryptographicException("ECDSA signing produced no signature.");
    }

    /// <summary>Shows the key type, network and public address only.</summary>
    public override string ToString() => $"HeliumKeyPair {{ {KeyType}, {Network}, {PublicKey.ToAddress()} }}";

    /// <summary>Releases the platform key objects.</summary>
    public void Dispose()
    {
        _ecdsa?.Dispose();
        _ed25519?.Dispose();
    }

    private static HeliumKeyError TryCreateEccCompact(HeliumNetwork network, ReadOnlySpan<byte> scalar, out HeliumKeyPair? keyPair)
    {
        keyPair = null;
        if (!P256Compact.IsValidPrivateScalar(scalar))
        {
            return HeliumKeyError.InvalidPrivateKey;
        }

        var privateScalar = scalar.ToArray();
        try
        {
            // The platform derives Q from D when Q is left empty.
            var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = privateScalar });
            var point = ecdsa.ExportParameters(includePrivateParameters: false).Q;
            if (!P256Compact.IsCompact(point.Y))
            {
                ecdsa.Dispose();
                return HeliumKeyError.NotCompact;
            }

            keyPair = new HeliumKeyPair(HeliumPublicKey.ForEccCompact(network, point.X, point.Y), ecdsa, null);
            return HeliumKeyError.None;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateScalar);
        }
    }

    // Exportable so that Export can write the seed back out for simulators and key files.
    private static Key ImportEd25519Seed(ReadOnlySpan<byte> seed) =>
        Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    private static void CheckArguments(HeliumKeyType keyType, HeliumNetwork network)
    {
        if (keyType is not (HeliumKeyType.EccCompact or HeliumKeyType.Ed25519))
        {
            throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "Unsupported key type.");
        }

        if (network is not (HeliumNetwork.MainNet or HeliumNetwork.TestNet))
        {
            throw new ArgumentOutOfRangeException(nameof(network), network, "Unsupported network.");
        }
    }
}
