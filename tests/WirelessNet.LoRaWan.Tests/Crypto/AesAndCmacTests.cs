using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Tests.Crypto;

public sealed class AesAndCmacTests
{
    private static readonly AesKey RfcKey = AesKey.Parse("2b7e151628aed2a6abf7158809cf4f3c");

    [Fact]
    public void Aes128_matches_fips197_appendix_c1()
    {
        using var key = new ExpandedAesKey(AesKey.Parse("000102030405060708090a0b0c0d0e0f"));
        var output = new byte[16];
        key.EncryptBlock(Convert.FromHexString("00112233445566778899aabbccddeeff"), output);
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Convert.ToHexStringLower(output));
    }

    [Fact]
    public void Hardware_and_portable_paths_agree_with_dotnet_aes()
    {
        var random = new Random(4493);
        var keyBytes = new byte[16];
        var block = new byte[16];
        for (var i = 0; i < 200; i++)
        {
            random.NextBytes(keyBytes);
            random.NextBytes(block);
            using var aes = Aes.Create();
            aes.Key = keyBytes;
            var expected = aes.EncryptEcb(block, PaddingMode.None);
            using var hw = new ExpandedAesKey(new AesKey(keyBytes), useAesNi: true);
            using var portable = new ExpandedAesKey(new AesKey(keyBytes), useAesNi: false);
            var a = new byte[16];
            var b = new byte[16];
            hw.EncryptBlock(block, a);
            portable.EncryptBlock(block, b);
            Assert.Equal(expected, a);
            Assert.Equal(expected, b);
        }
    }

    // RFC 4493 §4, examples 1-4 (key 2b7e1516...).
    [Theory]
    [InlineData("", "bb1d6929e95937287fa37d129b756746")]
    [InlineData("6bc1bee22e409f96e93d7e117393172a", "070a16b46b4d4144f79bdd9dd04a287c")]
    [InlineData("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411", "dfa66747de9ae63030ca32611497c827")]
    [InlineData("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710", "51f0bebf7e3b9d92fc49741779363cfe")]
    public void Cmac_matches_rfc4493(string messageHex, string tagHex)
    {
        foreach (var hw in new[] { true, false })
        {
            using var key = new ExpandedAesKey(RfcKey, hw);
            var tag = new byte[16];
            AesCmac.Compute(key, Convert.FromHexString(messageHex), tag);
            Assert.Equal(tagHex, Convert.ToHexStringLower(tag));
        }
    }

    [Fact]
    public void Cmac_subkeys_match_rfc4493_section_4()
    {
        using var key = new ExpandedAesKey(RfcKey);
        var k1 = new byte[16];
        var k2 = new byte[16];
        key.K1.CopyTo(k1);
        key.K2.CopyTo(k2);
        Assert.Equal("fbeed618357133667c85e08f7236a8de", Convert.ToHexStringLower(k1));
        Assert.Equal("f7ddac306ae266ccf90bc11ee46d513b", Convert.ToHexStringLower(k2));
    }

    [Fact]
    public void Cmac_over_two_segments_equals_cmac_over_their_concatenation()
    {
        using var key = new ExpandedAesKey(RfcKey);
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var message = new byte[random.Next(0, 80)];
            random.NextBytes(message);
            var split = random.Next(0, message.Length + 1);
            var whole = new byte[16];
            var parts = new byte[16];
            AesCmac.Compute(key, message, whole);
            AesCmac.Compute(key, message.AsSpan(0, split), message.AsSpan(split), parts);
            Assert.Equal(whole, parts);
        }
    }
}
