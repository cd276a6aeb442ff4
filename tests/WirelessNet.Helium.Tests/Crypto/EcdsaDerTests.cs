using WirelessNet.Helium.Crypto;

namespace WirelessNet.Helium.Tests.Crypto;

public sealed class EcdsaDerTests
{
    private static readonly byte[] Erlang = Convert.FromHexString(
        "304402206d791eb96bcc7d0ef403bc7a653fd99a6906374ec9e4aff1d5907d4890e8dd3302204b4c93c7637b22565b944201df9c806d684165802b8a1cd91d4d7799c950e466");

    [Fact]
    public void ConvertsCanonicalDerToFixedWidth()
    {
        var rs = new byte[64];
        Assert.True(EcdsaDer.TryToP1363(Erlang, rs));
        Assert.Equal(Erlang.AsSpan(4, 32).ToArray(), rs[..32]);
        Assert.Equal(Erlang.AsSpan(38, 32).ToArray(), rs[32..]);
    }

    [Fact]
    public void AcceptsShortAndPaddedIntegers()
    {
        // r = 0x01 (one byte), s = 0x80.. (needs a 0x00 pad).
        var der = Convert.FromHexString("3026020101022100" + "80" + new string('1', 62));
        var rs = new byte[64];
        Assert.True(EcdsaDer.TryToP1363(der, rs));
        Assert.Equal(1, rs[31]);
        Assert.Equal(0x80, rs[32]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("3006020100020101")] // r = 0
    [InlineData("3006020101020100")] // s = 0
    [InlineData("30060201ff020101")] // r negative
    [InlineData("300702020001020101")] // r with a superfluous leading zero
    [InlineData("3007020101020101")] // sequence length too long
    [InlineData("3005020101020101")] // sequence length too short
    [InlineData("3106020101020101")] // not a sequence
    [InlineData("3006030101020101")] // not an integer
    [InlineData("300802010102010100")] // trailing byte inside the sequence
    [InlineData("308106020101020101")] // long-form length (BER)
    [InlineData("302702220100" + "0101010101010101010101010101010101010101010101010101010101010101" + "020101")] // r of 33 bytes after the pad
    public void RejectsNonCanonicalOrInvalidEncodings(string hex)
    {
        Assert.False(EcdsaDer.TryToP1363(Convert.FromHexString(hex), new byte[64]));
    }

    [Fact]
    public void RejectsTrailingBytesAfterTheSequence() =>
        Assert.False(EcdsaDer.TryToP1363([.. Erlang, 0x00], new byte[64]));
}
