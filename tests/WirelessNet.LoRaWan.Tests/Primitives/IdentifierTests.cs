using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Tests.Primitives;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("0102030405060708")]
    [InlineData("01:02:03:04:05:06:07:08")]
    [InlineData("01-02-03-04-05-06-07-08")]
    [InlineData("0x0102030405060708")]
    public void Eui64_parses_display_order_and_writes_little_endian(string text)
    {
        var eui = Eui64.Parse(text);
        Assert.Equal(0x0102030405060708UL, eui.Value);
        Assert.Equal("0102030405060708", eui.ToString());
        var wire = new byte[8];
        eui.WriteLittleEndian(wire);
        Assert.Equal(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 }, wire);
        Assert.Equal(eui, Eui64.ReadLittleEndian(wire));
    }

    [Theory]
    [InlineData("")]
    [InlineData("01020304050607")]
    [InlineData("010203040506070g")]
    [InlineData("01:02:03:04:05:06:07-08")]
    [InlineData("010203040506070809")]
    public void Eui64_rejects_malformed_text(string text)
    {
        Assert.False(Eui64.TryParse(text, null, out _));
        Assert.Throws<FormatException>(() => Eui64.Parse(text));
    }

    [Fact]
    public void DevAddr_round_trips_and_is_little_endian_on_the_wire()
    {
        var addr = DevAddr.Parse("26011bda");
        var wire = new byte[4];
        addr.WriteLittleEndian(wire);
        Assert.Equal(new byte[] { 0xda, 0x1b, 0x01, 0x26 }, wire);
        Assert.Equal("26011bda", DevAddr.ReadLittleEndian(wire).ToString());
    }

    // NetID types and NwkID widths: LoRaWAN Backend Interfaces TS002-1.1.0 §13 (tables 2 and 3).
    [Theory]
    [InlineData("000013", 0, 0x13u, "26000000")]       // TTN: type 0, NwkID 0x13 -> DevAddr prefix 0x26 (26/7)
    [InlineData("600008", 3, 0x08u, "e0100000")]       // type 3, NwkID 11 bits
    [InlineData("c00053", 6, 0x53u, "fc014c00")]       // type 6, NwkID 15 bits, NwkAddr 10 bits
    [InlineData("e0003f", 7, 0x3fu, "fe001f80")]       // type 7, NwkID 17 bits
    public void NetId_gives_the_devaddr_prefix(string netIdText, int type, uint nwkId, string prefix)
    {
        var netId = NetId.Parse(netIdText);
        Assert.Equal(type, netId.Type);
        Assert.Equal(nwkId, netId.NwkId);
        var addr = netId.DevAddrPrefix;
        Assert.Equal(prefix, addr.ToString());
        Assert.Equal(type, addr.NetIdType);
        Assert.Equal(nwkId, addr.NwkId);
        Assert.True(addr.IsFrom(netId));
    }

    [Fact]
    public void DevAddr_allocation_keeps_prefix_and_rejects_overflowing_nwkaddr()
    {
        var netId = NetId.Parse("c00053");
        Assert.Equal(10, netId.NwkAddrBits);
        var addr = DevAddr.FromNetId(netId, 0x3ff);
        Assert.Equal(0x3ffu, addr.NwkAddr);
        Assert.True(addr.IsFrom(netId));
        Assert.Throws<ArgumentOutOfRangeException>(() => DevAddr.FromNetId(netId, 0x400));
        Assert.Equal(-1, new DevAddr(0xff000000).NetIdType);
    }

    [Fact]
    public void AesKey_never_prints_itself()
    {
        var key = AesKey.Parse("2b7e151628aed2a6abf7158809cf4f3c");
        Assert.DoesNotContain("2b7e", key.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("2b7e", $"{key}", StringComparison.OrdinalIgnoreCase);
        Assert.Equal("2b7e151628aed2a6abf7158809cf4f3c", key.ToHexString());
    }
}
