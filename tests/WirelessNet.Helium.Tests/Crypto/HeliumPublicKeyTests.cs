using WirelessNet.Helium.Crypto;

namespace WirelessNet.Helium.Tests.Crypto;

public sealed class HeliumPublicKeyTests
{
    // helium-crypto-rs src/public_key.rs tests: DEFAULT_BYTES, parsed with its prefix byte varied.
    private static readonly byte[] DefaultBytes = Convert.FromHexString("008f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551af1");

    [Theory]
    [InlineData(0x00, HeliumNetwork.MainNet, HeliumKeyType.EccCompact)]
    [InlineData(0x10, HeliumNetwork.TestNet, HeliumKeyType.EccCompact)]
    [InlineData(0x01, HeliumNetwork.MainNet, HeliumKeyType.Ed25519)]
    [InlineData(0x11, HeliumNetwork.TestNet, HeliumKeyType.Ed25519)]
    public void PrefixByteCarriesNetworkAndKeyType(byte prefix, HeliumNetwork network, HeliumKeyType keyType)
    {
        var binary = (byte[])DefaultBytes.Clone();
        binary[0] = prefix;

        var key = HeliumPublicKey.Parse(binary);

        Assert.Equal(network, key.Network);
        Assert.Equal(keyType, key.KeyType);
        Assert.Equal(binary, key.ToBytes());
        Assert.Equal(key, HeliumPublicKey.ParseAddress(key.ToAddress()));
    }

    [Fact]
    public void KeysDifferingOnlyInPrefixAreDistinct()
    {
        var mainNet = HeliumPublicKey.Parse(DefaultBytes);
        var testNet = HeliumPublicKey.Parse([0x10, .. DefaultBytes.AsSpan(1)]);
        var ed25519 = HeliumPublicKey.Parse([0x01, .. DefaultBytes.AsSpan(1)]);

        Assert.NotEqual(mainNet, testNet);
        Assert.NotEqual(mainNet, ed25519);
        Assert.NotEqual(mainNet.ToAddress(), testNet.ToAddress());
        Assert.NotEqual(mainNet.GetHashCode(), testNet.GetHashCode());
    }

    [Fact]
    public void EqualityAndHashFollowTheBytes()
    {
        var a = HeliumPublicKey.Parse(DefaultBytes);
        var b = HeliumPublicKey.Parse((byte[])DefaultBytes.Clone());

        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.Equals(null));
        Assert.Single(new HashSet<HeliumPublicKey> { a, b });
        Assert.Equal(a.ToAddress(), a.ToString());
    }

    [Fact]
    public void ToBytesReturnsACopy()
    {
        var key = HeliumPublicKey.Parse(DefaultBytes);
        var bytes = key.ToBytes();
        bytes[5] ^= 0xFF;

        Assert.Equal(DefaultBytes, key.ToBytes());
    }

    [Theory]
    [InlineData("", HeliumKeyError.InvalidLength)]
    [InlineData("00", HeliumKeyError.InvalidLength)]
    [InlineData("008f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551a", HeliumKeyError.InvalidLength)]
    [InlineData("008f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551af100", HeliumKeyError.InvalidLength)]
    [InlineData("018f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551af100", HeliumKeyError.InvalidLength)]
    [InlineData("208f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551af1", HeliumKeyError.UnknownNetwork)]
    [InlineData("f08f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551af1", HeliumKeyError.UnknownNetwork)]
    [InlineData("028f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551af1", HeliumKeyError.UnknownKeyType)] // multisig in helium-crypto
    [InlineData("048f23e96ab6bbff48c8923cac831dc97111bcf33dba9f5a8539c00f9d93551af1", HeliumKeyError.UnknownKeyType)]
    [InlineData("00ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", HeliumKeyError.InvalidPoint)] // X = p
    [InlineData("00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", HeliumKeyError.InvalidPoint)] // X > p
    public void RejectsMalformedBinaryKeysWithAReason(string hex, HeliumKeyError expected)
    {
        Assert.False(HeliumPublicKey.TryParse(Convert.FromHexString(hex), out var key, out var error));
        Assert.Null(key);
        Assert.Equal(expected, error);
        var exception = Assert.Throws<FormatException>(() => HeliumPublicKey.Parse(Convert.FromHexString(hex)));
        Assert.Contains(expected.ToString(), exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("11nYr7TBMbpGiQadiCxGCPZFZ8ENo1JNtbS7aB5U7UXn4a8Dvb4")] // last character changed: checksum
    [InlineData("11nYr7TBMbpGiQadiCxGCPZFZ8ENo1JNtbS7aB5U7UXn4a8Dvb")] // truncated
    [InlineData("11nYr7TBMbpGiQadiCxGCPZFZ8ENo1JNtbS7aB5U7UXn4a8Dvb30")] // '0' is not base58
    [InlineData("1")]
    public void RejectsMalformedAddresses(string? address)
    {
        Assert.False(HeliumPublicKey.TryParseAddress(address, out var key, out var error));
        Assert.Null(key);
        Assert.Equal(HeliumKeyError.InvalidAddress, error);
    }

    [Fact]
    public void RejectsAnAddressWithAnotherVersionByte()
    {
        var address = Base58Check.EncodeCheck([0x01, .. DefaultBytes]);

        Assert.False(HeliumPublicKey.TryParseAddress(address, out _, out var error));
        Assert.Equal(HeliumKeyError.InvalidAddress, error);
    }

    [Fact]
    public void AddressWithAValidChecksumButBadKeyReportsTheKeyError()
    {
        var address = Base58Check.EncodeCheck([0x00, 0x02, .. DefaultBytes.AsSpan(1)]);

        Assert.False(HeliumPublicKey.TryParseAddress(address, out _, out var error));
        Assert.Equal(HeliumKeyError.UnknownKeyType, error);
        Assert.Throws<FormatException>(() => HeliumPublicKey.ParseAddress(address));
    }
}
