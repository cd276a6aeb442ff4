using WirelessNet.LoRaWan.Counters;

namespace WirelessNet.LoRaWan.Tests.Counters;

public sealed class FrameCounterTests
{
    [Theory]
    [InlineData(null, (ushort)0, 0u, FrameCounterStatus.Next)]
    [InlineData(null, (ushort)5, 5u, FrameCounterStatus.Next)]
    [InlineData(null, (ushort)60000, 60000u, FrameCounterStatus.GapTooLarge)]
    [InlineData(10u, (ushort)11, 11u, FrameCounterStatus.Next)]
    [InlineData(10u, (ushort)10, 10u, FrameCounterStatus.Retransmission)]
    [InlineData(10u, (ushort)9, 9u, FrameCounterStatus.Replay)]
    [InlineData(0xFFFFu, (ushort)0, 0x10000u, FrameCounterStatus.Next)]            // rollover of the 16-bit wire value
    [InlineData(0x1FFFEu, (ushort)3, 0x20003u, FrameCounterStatus.Next)]           // rollover with missed frames
    [InlineData(0x12345u, (ushort)0x2345, 0x12345u, FrameCounterStatus.Retransmission)]
    [InlineData(0x12345u, (ushort)0x2340, 0x12340u, FrameCounterStatus.Replay)]
    [InlineData(100u, (ushort)(100 + 16385), 100u + 16385u, FrameCounterStatus.Next)]
    [InlineData(100u, (ushort)(100 + 16386), 100u + 16386u, FrameCounterStatus.GapTooLarge)]
    [InlineData(0xFFFFFFFFu, (ushort)0, 0xFFFFFFFFu, FrameCounterStatus.Exhausted)]
    [InlineData(0xFFFFFFF0u, (ushort)0x0001, 0x00000001u, FrameCounterStatus.Exhausted)]
    public void Reconstructs_32_bit_counters(uint? last, ushort wire, uint expected, FrameCounterStatus status)
    {
        var result = FrameCounter.Reconstruct(last, wire);
        Assert.Equal(status, result.Status);
        Assert.Equal(expected, result.FCnt);
    }

    [Fact]
    public void Every_accepted_counter_is_greater_than_the_last_one_or_equal_for_a_retransmission()
    {
        var random = new Random(32);
        for (var i = 0; i < 100_000; i++)
        {
            var last = (uint)random.NextInt64(0, 1L << 32);
            var wire = (ushort)random.Next(65536);
            var r = FrameCounter.Reconstruct(last, wire);
            Assert.Equal(wire, (ushort)r.FCnt);
            if (r.Status == FrameCounterStatus.Next)
            {
                Assert.True(r.FCnt > last && r.FCnt - last - 1 <= FrameCounter.DefaultMaxGap);
            }
            else if (r.Status == FrameCounterStatus.Retransmission)
            {
                Assert.Equal(last, r.FCnt);
            }
        }
    }
}
