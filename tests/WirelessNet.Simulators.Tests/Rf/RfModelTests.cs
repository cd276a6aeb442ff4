using WirelessNet.Simulators.Rf;

namespace WirelessNet.Simulators.Tests.Rf;

/// <summary>The RF model against values computed by hand from the published formulas.</summary>
public sealed class RfModelTests
{
    [Fact]
    public void Free_space_loss_at_1_km_868_MHz_is_91_2_dB()
    {
        // 20·log10(4π · 1000 m · 868e6 Hz / 299,792,458 m/s) = 20·log10(36,383.6) = 91.218 dB
        Assert.Equal(91.218, PathLoss.FreeSpace(1000, 868e6), 3);

        // Doubling the distance adds 20·log10(2) = 6.02 dB.
        Assert.Equal(6.021, PathLoss.FreeSpace(2000, 868e6) - PathLoss.FreeSpace(1000, 868e6), 3);
    }

    [Fact]
    public void Log_distance_adds_ten_n_dB_per_decade_over_the_1_m_reference()
    {
        // FSPL(1 m, 868 MHz) = 91.218 − 60 = 31.218 dB; n = 3 over three decades adds 90 dB.
        Assert.Equal(121.218, PathLoss.LogDistance(1000, 868e6, 3.0), 3);
        Assert.Equal(PathLoss.FreeSpace(5000, 915e6), PathLoss.LogDistance(5000, 915e6, 2.0), 9);
    }

    [Fact]
    public void Okumura_hata_urban_at_1_km_868_MHz()
    {
        // f = 868 MHz, hb = 30 m, hm = 1.5 m, d = 1 km:
        // a(hm) = (1.1·log10 f − 0.7)·1.5 − (1.56·log10 f − 0.8) = 3.79856 − 3.78409 = 0.01447
        // L = 69.55 + 26.16·2.93852 − 13.82·log10 30 − 0.01447 + 0 = 125.993 dB
        Assert.Equal(125.993, PathLoss.Hata(1000, 868e6, 30, 1.5, PropagationEnvironment.Urban), tolerance: 0.01);

        // Suburban: − 2·(log10(868/28))² − 5.4 = − 2·(1.49136)² − 5.4 = −9.848 dB
        Assert.Equal(125.993 - 9.848, PathLoss.Hata(1000, 868e6, 30, 1.5, PropagationEnvironment.Suburban), tolerance: 0.01);

        // Rural/open: − 4.78·(2.93852)² + 18.33·2.93852 − 40.94 = −41.275 + 53.863 − 40.94 = −28.352 dB
        Assert.Equal(125.993 - 28.352, PathLoss.Hata(1000, 868e6, 30, 1.5, PropagationEnvironment.Rural), tolerance: 0.01);

        // Slope: (44.9 − 6.55·log10 30) = 35.225 dB per decade of distance.
        Assert.Equal(35.225, PathLoss.Hata(10_000, 868e6, 30, 1.5, PropagationEnvironment.Urban) - PathLoss.Hata(1000, 868e6, 30, 1.5, PropagationEnvironment.Urban), tolerance: 0.01);
    }

    [Fact]
    public void Noise_floor_sensitivity_and_demodulation_floors()
    {
        // −174 + 10·log10(125,000) + 6 = −174 + 50.969 + 6 = −117.031 dBm
        Assert.Equal(-117.031, LoRaReception.NoiseFloorDbm(125_000), 3);
        Assert.Equal(-137.031, LoRaReception.SensitivityDbm(12, 125_000), 3);
        Assert.Equal(-124.531, LoRaReception.SensitivityDbm(7, 125_000), 3);
        Assert.Equal(-7.5, LoRaReception.DemodulationFloorDb(7));
        Assert.Equal(-20.0, LoRaReception.DemodulationFloorDb(12));

        Assert.True(LoRaReception.IsReceivable(-136.9, 12, 125_000));
        Assert.False(LoRaReception.IsReceivable(-137.2, 12, 125_000));
        Assert.False(LoRaReception.IsReceivable(-130.0, 7, 125_000));
    }

    [Theory]
    // SF12/125 kHz, 51 bytes, CR 4/5, 8 preamble symbols, explicit header, CRC, low data rate optimisation:
    // Tsym = 32.768 ms; ceil((408 − 48 + 28 + 16) / 40) = 11 → 55 + 8 = 63 symbols; (12.25 + 63) · 32.768 = 2465.792 ms
    [InlineData(12, 125_000, 51, 2465.792)]
    // SF7/125 kHz, 20 bytes: Tsym = 1.024 ms; ceil(176 / 28) = 7 → 35 + 8 = 43 symbols; 55.25 · 1.024 = 56.576 ms
    [InlineData(7, 125_000, 20, 56.576)]
    // SF9/125 kHz, 13 bytes (an empty data frame): Tsym = 4.096 ms; ceil((104 − 36 + 44) / 36) = 4 → 28 symbols; 40.25 · 4.096 = 164.864 ms
    [InlineData(9, 125_000, 13, 164.864)]
    public void Airtime_follows_the_semtech_formula(int sf, int bandwidth, int payload, double milliseconds)
    {
        Assert.Equal(milliseconds, LoRaAirtime.Compute(sf, bandwidth, payload).TotalMilliseconds, 3);
    }

    [Fact]
    public void Collisions_same_channel_and_sf_need_a_6_dB_capture_margin()
    {
        var start = TimeSpan.Zero;
        var length = TimeSpan.FromMilliseconds(100);
        var a = new ReceivedTransmission(1, 868_100_000, 7, start, length, -90);
        var close = new ReceivedTransmission(2, 868_100_000, 7, TimeSpan.FromMilliseconds(50), length, -93);
        var weak = new ReceivedTransmission(3, 868_100_000, 7, TimeSpan.FromMilliseconds(50), length, -97);
        var otherSf = new ReceivedTransmission(4, 868_100_000, 9, start, length, -90);
        var otherChannel = new ReceivedTransmission(5, 868_300_000, 7, start, length, -90);
        var later = new ReceivedTransmission(6, 868_100_000, 7, TimeSpan.FromMilliseconds(100), length, -90);

        Assert.Empty(CollisionResolver.Survivors([a, close]));
        Assert.Equal([1], CollisionResolver.Survivors([a, weak]));
        Assert.Equal(new HashSet<int> { 1, 4, 5 }, CollisionResolver.Survivors([a, otherSf, otherChannel]).ToHashSet());
        Assert.Equal(new HashSet<int> { 1, 6 }, CollisionResolver.Survivors([a, later]).ToHashSet());
    }

    [Fact]
    public void Shadowing_is_deterministic_symmetric_and_log_normal()
    {
        Assert.Equal(Shadowing.ForLink(7, 1, 2, 6), Shadowing.ForLink(7, 2, 1, 6));
        Assert.Equal(Shadowing.ForLink(7, 1, 2, 6), Shadowing.ForLink(7, 1, 2, 6));
        Assert.NotEqual(Shadowing.ForLink(7, 1, 2, 6), Shadowing.ForLink(8, 1, 2, 6));
        Assert.Equal(0, Shadowing.ForLink(7, 1, 2, 0));

        const int links = 50_000;
        double sum = 0, sumSquares = 0;
        for (ulong i = 0; i < links; i++)
        {
            var x = Shadowing.ForLink(42, i, i + 1_000_000, 8.0);
            sum += x;
            sumSquares += x * x;
        }

        var mean = sum / links;
        var sigma = Math.Sqrt((sumSquares / links) - (mean * mean));
        Assert.InRange(mean, -0.15, 0.15);
        Assert.InRange(sigma, 7.8, 8.2);
    }

    [Fact]
    public void Link_budget_adds_gains_and_subtracts_losses()
    {
        var model = new LinkModel { Environment = PropagationEnvironment.FreeSpace, BuildingPenetrationLossDb = 12 };
        var tx = new RadioEndpoint(AntennaGainDbi: 2.15, CableLossDb: 0.5);
        var rx = new RadioEndpoint(AntennaGainDbi: 5.8, CableLossDb: 1.0, Indoor: true);

        // 14 dBm + 2.15 − 0.5 + 5.8 − 1.0 − 91.218 (FSPL 1 km) − 12 (indoor) = −82.768 dBm
        Assert.Equal(-82.768, model.ReceivedPowerDbm(14, tx, rx, 1000, 868e6, 1, 2), 3);
    }
}
