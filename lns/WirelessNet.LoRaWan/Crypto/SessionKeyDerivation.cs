using System.Buffers.Binary;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Crypto;

/// <summary>Session keys of a LoRaWAN 1.0.x session (or of a 1.1 device joined with OptNeg unset).</summary>
public readonly record struct SessionKeys10(AesKey NwkSKey, AesKey AppSKey);

/// <summary>Session keys of a LoRaWAN 1.1 session.</summary>
public readonly record struct SessionKeys11(AesKey FNwkSIntKey, AesKey SNwkSIntKey, AesKey NwkSEncKey, AesKey AppSKey);

/// <summary>Key derivation after a join (LoRaWAN 1.0.4 §6.2.5, LoRaWAN 1.1 §6.2.2 and §6.1.1.3).</summary>
public static class SessionKeyDerivation
{
    /// <summary>
    /// 1.0.x: NwkSKey = aes128_encrypt(key, 0x01 ‖ JoinNonce ‖ NetID ‖ DevNonce ‖ pad16), AppSKey with 0x02.
    /// <paramref name="rootKey"/> is the AppKey, or the NwkKey of a 1.1 device joined with OptNeg unset.
    /// </summary>
    public static SessionKeys10 Derive10(AesKey rootKey, uint joinNonce, NetId netId, ushort devNonce)
    {
        using var key = new ExpandedAesKey(rootKey);
        Span<byte> block = stackalloc byte[16];
        block.Clear();
        WriteUInt24(block[1..], joinNonce);
        netId.WriteLittleEndian(block[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(block[7..], devNonce);
        return new SessionKeys10(DeriveWith(key, 0x01, block), DeriveWith(key, 0x02, block));
    }

    /// <summary>
    /// 1.1 with OptNeg: FNwkSIntKey/SNwkSIntKey/NwkSEncKey = aes128_encrypt(NwkKey, 0x01/0x03/0x04 ‖ JoinNonce ‖
    /// JoinEUI ‖ DevNonce ‖ pad16), AppSKey = aes128_encrypt(AppKey, 0x02 ‖ …).
    /// </summary>
    public static SessionKeys11 Derive11(AesKey nwkKey, AesKey appKey, uint joinNonce, Eui64 joinEui, ushort devNonce)
    {
        using var nwk = new ExpandedAesKey(nwkKey);
        using var app = new ExpandedAesKey(appKey);
        Span<byte> block = stackalloc byte[16];
        block.Clear();
        WriteUInt24(block[1..], joinNonce);
        joinEui.WriteLittleEndian(block[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(block[12..], devNonce);
        return new SessionKeys11(
            FNwkSIntKey: DeriveWith(nwk, 0x01, block),
            SNwkSIntKey: DeriveWith(nwk, 0x03, block),
            NwkSEncKey: DeriveWith(nwk, 0x04, block),
            AppSKey: DeriveWith(app, 0x02, block));
    }

    /// <summary>JSIntKey = aes128_encrypt(NwkKey, 0x06 ‖ DevEUI ‖ pad16): MICs of Join-Accepts answering rejoins and of Rejoin type 1.</summary>
    public static AesKey DeriveJSIntKey(AesKey nwkKey, Eui64 devEui) => DeriveJoinServerKey(nwkKey, 0x06, devEui);

    /// <summary>JSEncKey = aes128_encrypt(NwkKey, 0x05 ‖ DevEUI ‖ pad16): encryption of Join-Accepts answering rejoins.</summary>
    public static AesKey DeriveJSEncKey(AesKey nwkKey, Eui64 devEui) => DeriveJoinServerKey(nwkKey, 0x05, devEui);

    private static AesKey DeriveJoinServerKey(AesKey nwkKey, byte label, Eui64 devEui)
    {
        using var key = new ExpandedAesKey(nwkKey);
        Span<byte> block = stackalloc byte[16];
        block.Clear();
        devEui.WriteLittleEndian(block[1..]);
        return DeriveWith(key, label, block);
    }

    private static AesKey DeriveWith(ExpandedAesKey key, byte label, Span<byte> block)
    {
        block[0] = label;
        Span<byte> output = stackalloc byte[16];
        key.EncryptBlock(block, output);
        return new AesKey(output);
    }

    internal static void WriteUInt24(Span<byte> destination, uint value)
    {
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }
}
