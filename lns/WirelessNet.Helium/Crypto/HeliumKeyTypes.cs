namespace WirelessNet.Helium.Crypto;

/// <summary>
/// Key algorithm, the low nibble of a Helium key's prefix byte (helium-crypto <c>KEYTYPE_*</c>).
/// </summary>
public enum HeliumKeyType : byte
{
    /// <summary>NIST P-256 whose public key travels as its X coordinate alone (0x00); ECDSA/SHA-256, DER signatures.</summary>
    EccCompact = 0x00,

    /// <summary>Ed25519 (0x01); 64-byte signatures over the raw message.</summary>
    Ed25519 = 0x01,
}

/// <summary>Network a key belongs to, the high nibble of a Helium key's prefix byte (helium-crypto <c>NETTYPE_*</c>).</summary>
public enum HeliumNetwork : byte
{
    /// <summary>0x00.</summary>
    MainNet = 0x00,

    /// <summary>0x10.</summary>
    TestNet = 0x10,
}

/// <summary>Why a key could not be parsed or imported.</summary>
public enum HeliumKeyError
{
    /// <summary>Parsed.</summary>
    None = 0,

    /// <summary>The binary form has the wrong length for its key type (or is empty).</summary>
    InvalidLength,

    /// <summary>The prefix byte's high nibble is neither mainnet (0x00) nor testnet (0x10).</summary>
    UnknownNetwork,

    /// <summary>The prefix byte's low nibble is not a key type this library handles (ecc_compact 0x00, ed25519 0x01).</summary>
    UnknownKeyType,

    /// <summary>The key bytes are not a usable key: an X coordinate with no point on P-256, or a rejected ed25519 key.</summary>
    InvalidPoint,

    /// <summary>An ecc_compact private key whose public point is not the one its X coordinate implies, so it has no compact form.</summary>
    NotCompact,

    /// <summary>A private key outside its algorithm's range (an ecc_compact scalar of zero or not below the group order).</summary>
    InvalidPrivateKey,

    /// <summary>The ed25519 key pair's stored public half is not the key derived from its seed.</summary>
    PublicKeyMismatch,

    /// <summary>An address that is not base58, fails its checksum, or has a version byte other than 0x00.</summary>
    InvalidAddress,
}
