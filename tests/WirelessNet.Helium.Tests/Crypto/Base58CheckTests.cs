using WirelessNet.Helium.Crypto;

namespace WirelessNet.Helium.Tests.Crypto;

public sealed class Base58CheckTests
{
    // bitcoin/bitcoin src/test/data/base58_encode_decode.json (hex payload, base58 text).
    [Theory]
    [InlineData("", "")]
    [InlineData("61", "2g")]
    [InlineData("626262", "a3gV")]
    [InlineData("636363", "aPEr")]
    [InlineData("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2")]
    [InlineData("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L")]
    [InlineData("516b6fcd0f", "ABnLTmg")]
    [InlineData("bf4f89001e670274dd", "3SEo3LWLoPntC")]
    [InlineData("572e4794", "3EFU7m")]
    [InlineData("ecac89cad93923c02321", "EJDM8drfXA6uyA")]
    [InlineData("10c8511e", "Rt5zm")]
    [InlineData("00000000000000000000", "1111111111")]
    public void MatchesBitcoinVectors(string hex, string text)
    {
        var data = Convert.FromHexString(hex);
        Assert.Equal(text, Base58Check.Encode(data));
        if (text.Length > 0)
        {
            Assert.True(Base58Check.TryDecode(text, out var decoded));
            Assert.Equal(data, decoded);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("O")]
    [InlineData("I")]
    [InlineData("l")]
    [InlineData("abc def")]
    [InlineData("é")]
    public void RejectsTextOutsideTheAlphabet(string text) => Assert.False(Base58Check.TryDecode(text, out _));

    [Fact]
    public void RejectsOverlongText() => Assert.False(Base58Check.TryDecode(new string('z', 10_000), out _));

    [Fact]
    public void CheckRoundTripsAndDetectsCorruption()
    {
        var random = new Random(7);
        for (var length = 0; length < 80; length++)
        {
            var payload = new byte[length];
            random.NextBytes(payload);
            if (length > 2)
            {
                payload[0] = 0;
                payload[1] = 0;
            }

            var text = Base58Check.EncodeCheck(payload);
            Assert.True(Base58Check.TryDecodeCheck(text, out var decoded));
            Assert.Equal(payload, decoded);

            var position = random.Next(text.Length);
            var replacement = text[position] == 'z' ? 'y' : 'z';
            var corrupted = string.Concat(text.AsSpan(0, position), replacement.ToString(), text.AsSpan(position + 1));
            Assert.False(Base58Check.TryDecodeCheck(corrupted, out _));
        }
    }

    [Fact]
    public void CheckNeedsAtLeastAChecksum()
    {
        Assert.False(Base58Check.TryDecodeCheck("2g", out _));
        Assert.False(Base58Check.TryDecodeCheck("", out _));
    }
}
