using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Records;
using Xunit;

namespace WirelessNet.Offload.Tests;

public sealed class SpeedtestTierTests
{
    private const long Mbps = 125_000;
    private static readonly HeliumPublicKey Hotspot = OffloadFixture.NewKey().PublicKey;

    private static Speedtest Test(long downloadMbps, long uploadMbps, int latencyMs, long at = 0) =>
        new(Hotspot, at, uploadMbps * Mbps, downloadMbps * Mbps, latencyMs);

    [Theory]
    [InlineData(100, 10, 50, "1")]
    [InlineData(99, 10, 50, "0.75")]
    [InlineData(200, 9, 40, "0.75")]
    [InlineData(100, 10, 61, "0.5")]
    [InlineData(50, 5, 75, "0.5")]
    [InlineData(30, 2, 100, "0.25")]
    [InlineData(29, 50, 10, "0")]
    [InlineData(300, 300, 101, "0")]
    public void One_test_falls_in_the_tier_whose_every_threshold_it_meets(long download, long upload, int latency, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SpeedtestTiers.Multiplier([Test(download, upload, latency)]));
    }

    [Fact]
    public void The_six_newest_tests_are_averaged_and_none_is_the_failing_tier()
    {
        Assert.Equal(0m, SpeedtestTiers.Multiplier([]));

        // Six newest average 100 Mbps down (two fast ones carry four slow ones), 10 up, 50 ms; an old bad test beyond
        // the sixth does not count.
        var tests = new List<Speedtest>
        {
            Test(200, 10, 50), Test(200, 10, 50), Test(50, 10, 50), Test(50, 10, 50), Test(50, 10, 50), Test(50, 10, 50), Test(1, 1, 900),
        };
        Assert.Equal(1m, SpeedtestTiers.Multiplier(tests));
        tests.Insert(0, Test(1, 10, 50));
        Assert.Equal(0.75m, SpeedtestTiers.Multiplier(tests)); // 91.8 Mbps down
    }
}
