using WirelessNet.LoRaWan.Adr;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.LoRaWan.Tests.Adr;

public sealed class DefaultAdrAlgorithmTests
{
    private static readonly RegionParameters Eu = Region.Eu868;

    [Fact]
    public void Sf12_with_5_dB_snr_climbs_five_steps_to_dr5()
    {
        // margin = 5 − (−20) − 10 = 15 dB → 5 steps → DR0 + 5 = DR5.
        var decision = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(0, 0, 1, 5, 7), History(20, snr: 5f, txPowerIndex: 0));

        Assert.Equal(new AdrDecision(5, 0, 1, Changed: true), decision);
    }

    [Fact]
    public void Steps_left_after_the_max_data_rate_lower_the_power()
    {
        // margin = 8 + 20 − 10 = 18 dB → 6 steps: 5 to reach DR5, 1 to TXPower index 1.
        var decision = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(0, 0, 1, 5, 7), History(20, snr: 8f, txPowerIndex: 0));

        Assert.Equal(new AdrDecision(5, 1, 1, Changed: true), decision);
    }

    [Fact]
    public void At_max_data_rate_high_snr_lowers_power_up_to_the_max_index()
    {
        // DR5 = SF7 needs −7.5 dB: margin = 12 + 7.5 − 10 = 9.5 dB → 3 steps → index 2 + 3 = 5.
        var lower = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(5, 2, 1, 5, 7), History(20, snr: 12f, txPowerIndex: 2));
        Assert.Equal(new AdrDecision(5, 5, 1, Changed: true), lower);

        // margin = 30 + 7.5 − 10 = 27.5 dB → 9 steps, capped at the max index 7.
        var capped = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(5, 2, 1, 5, 7), History(20, snr: 30f, txPowerIndex: 2));
        Assert.Equal(new AdrDecision(5, 7, 1, Changed: true), capped);
    }

    [Fact]
    public void Negative_margin_raises_power_but_never_lowers_the_data_rate()
    {
        // margin = −8 + 7.5 − 10 = −10.5 dB → −3.5 → −3 steps: index 3 → 0.
        var decision = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(5, 3, 1, 5, 7), History(20, snr: -8f, txPowerIndex: 3));
        Assert.Equal(new AdrDecision(5, 0, 1, Changed: true), decision);

        // Already at full power: nothing left to do, DR stays.
        var atFullPower = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(4, 0, 1, 5, 7), History(20, snr: -30f, txPowerIndex: 0));
        Assert.Equal(new AdrDecision(4, 0, 1, Changed: false), atFullPower);
    }

    [Fact]
    public void Negative_steps_wait_for_a_full_history_at_the_current_power()
    {
        var request = new AdrRequest(5, 3, 1, 5, 7);

        var tooShort = DefaultAdrAlgorithm.Evaluate(Eu, request, History(19, snr: -8f, txPowerIndex: 3));
        Assert.Equal(new AdrDecision(5, 3, 1, Changed: false), tooShort);

        var mixedPower = History(20, snr: -8f, txPowerIndex: 3);
        mixedPower[0] = mixedPower[0] with { TxPowerIndex = 2 };
        Assert.Equal(new AdrDecision(5, 3, 1, Changed: false), DefaultAdrAlgorithm.Evaluate(Eu, request, mixedPower));
    }

    [Fact]
    public void Positive_steps_do_not_wait_for_history()
    {
        // ChirpStack's own case: DR0, SNR −15, no installation margin → 5 dB → 1 step.
        var request = new AdrRequest(0, 0, 1, 5, 5) { InstallationMarginDb = 0f };

        var decision = DefaultAdrAlgorithm.Evaluate(Eu, request, [new UplinkRecord(10, -15f, 0)]);

        Assert.Equal(new AdrDecision(1, 0, 1, Changed: true), decision);
    }

    [Theory]
    [InlineData(-2.9f, 5, 3)] // −0.97 steps truncates to 0 (toward zero, not floor)
    [InlineData(-3.0f, 5, 2)]
    [InlineData(2.9f, 5, 3)]
    [InlineData(3.0f, 5, 4)]
    public void Steps_truncate_toward_zero(float marginDb, int expectedDr, int expectedTxPowerIndex)
    {
        // DR5 (SF7, −7.5 dB) with no installation margin: SNR = margin − 7.5.
        var request = new AdrRequest(5, 3, 1, 5, 7) { InstallationMarginDb = 0f };

        var decision = DefaultAdrAlgorithm.Evaluate(Eu, request, History(20, snr: marginDb - 7.5f, txPowerIndex: 3));

        Assert.Equal((expectedDr, expectedTxPowerIndex), (decision.DataRate, decision.TxPowerIndex));
    }

    [Fact]
    public void Data_rate_above_the_cap_is_lowered_to_it()
    {
        // Margin 0 (SNR −7.5 at SF7, no installation margin): only the cap applies.
        var request = new AdrRequest(5, 0, 1, 4, 5) { InstallationMarginDb = 0f };

        var decision = DefaultAdrAlgorithm.Evaluate(Eu, request, [new UplinkRecord(1, -7.5f, 0)]);

        Assert.Equal(new AdrDecision(4, 0, 1, Changed: true), decision);
    }

    [Fact]
    public void Max_data_rate_is_capped_at_the_highest_125_kHz_LoRa_data_rate()
    {
        // EU868 DR6 is 250 kHz and DR7 FSK: the algorithm stops at DR5 even when DR7 is allowed.
        var decision = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(3, 0, 1, 7, 7), History(20, snr: 20f, txPowerIndex: 0));

        Assert.Equal(5, decision.DataRate);
        Assert.Equal(5, decision.TxPowerIndex); // SF9: 20 + 12.5 − 10 = 22.5 dB → 7 steps: 2 on DR, 5 on power
    }

    [Fact]
    public void Us915_uses_sf10_as_dr0()
    {
        // DR0 = SF10 needs −15 dB: margin = 0 + 15 − 10 = 5 dB → 1 step.
        var decision = DefaultAdrAlgorithm.Evaluate(Region.Us915, new AdrRequest(0, 0, 1, 3, 14), History(20, snr: 0f, txPowerIndex: 0));

        Assert.Equal(new AdrDecision(1, 0, 1, Changed: true), decision);
    }

    [Fact]
    public void Packet_loss_from_fcnt_gaps()
    {
        // ChirpStack's case: FCnt 0..4, 6..10, 12..21 → 2 lost of 20 = 10 %.
        var history = new UplinkRecord[20];
        for (uint i = 0; i < 20; i++)
        {
            history[i] = new UplinkRecord(i < 5 ? i : i < 10 ? i + 1 : i + 2, 0f, 0);
        }

        Assert.Equal(10f, DefaultAdrAlgorithm.PacketLossPercent(history));

        // 10 % is in the < 30 % row: NbTrans 1 → 2.
        var decision = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(5, 0, 1, 5, 0) { InstallationMarginDb = 7.5f }, history);
        Assert.Equal(new AdrDecision(5, 0, 2, Changed: true), decision);
    }

    [Fact]
    public void Packet_loss_is_zero_until_the_history_is_full_and_ignores_counter_resets()
    {
        var gappy = Enumerable.Range(0, 19).Select(i => new UplinkRecord((uint)(i * 10), 0f, 0)).ToArray();
        Assert.Equal(0f, DefaultAdrAlgorithm.PacketLossPercent(gappy));

        var reset = Enumerable.Range(0, 20).Select(i => new UplinkRecord(i < 10 ? (uint)(1000 + i) : (uint)(i - 10), 0f, 0)).ToArray();
        Assert.Equal(0f, DefaultAdrAlgorithm.PacketLossPercent(reset));
    }

    [Theory]
    [InlineData(3, 4.99f, 2)]
    [InlineData(2, 9.99f, 2)]
    [InlineData(3, 30f, 3)]
    [InlineData(1, 0f, 1)]
    [InlineData(1, 5f, 1)]
    [InlineData(2, 5f, 2)]
    [InlineData(1, 10f, 2)]
    [InlineData(1, 50f, 3)]
    [InlineData(0, 50f, 3)] // NbTrans 0 (device default) reads as 1
    [InlineData(15, 0f, 2)] // above 3 reads as 3
    public void NbTrans_table(int current, float lossPercent, int expected)
    {
        Assert.Equal(expected, DefaultAdrAlgorithm.NbTransFor(current, lossPercent));
    }

    [Fact]
    public void Only_the_most_recent_history_counts()
    {
        // 25 records: the 5 oldest were at another power index; the last 20 are all at index 3.
        var history = History(25, snr: -8f, txPowerIndex: 3);
        for (var i = 0; i < 5; i++)
        {
            history[i] = history[i] with { TxPowerIndex = 6, MaxSnrDb = 40f };
        }

        var decision = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(5, 3, 1, 5, 7), history);

        Assert.Equal(new AdrDecision(5, 0, 1, Changed: true), decision);
    }

    [Fact]
    public void Empty_history_keeps_the_settings()
    {
        var decision = DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(2, 1, 1, 5, 7), []);

        Assert.Equal(new AdrDecision(2, 1, 1, Changed: false), decision);
    }

    [Fact]
    public void Required_snr_per_spreading_factor()
    {
        Assert.Equal(-20f, DefaultAdrAlgorithm.RequiredSnrDb(12));
        Assert.Equal(-17.5f, DefaultAdrAlgorithm.RequiredSnrDb(11));
        Assert.Equal(-15f, DefaultAdrAlgorithm.RequiredSnrDb(10));
        Assert.Equal(-12.5f, DefaultAdrAlgorithm.RequiredSnrDb(9));
        Assert.Equal(-10f, DefaultAdrAlgorithm.RequiredSnrDb(8));
        Assert.Equal(-7.5f, DefaultAdrAlgorithm.RequiredSnrDb(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultAdrAlgorithm.RequiredSnrDb(13));
    }

    [Fact]
    public void Invalid_requests_are_rejected()
    {
        var history = History(20, snr: 0f, txPowerIndex: 0);

        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(12, 0, 1, 5, 7), history));
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(0, 8, 1, 5, 7), history));
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(0, 0, 1, 5, 8), history));
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(0, -1, 1, 5, 7), history));
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultAdrAlgorithm.Evaluate(Eu, new AdrRequest(0, 0, 1, -1, 7), history));
    }

    [Fact]
    public void Non_finite_snr_does_not_break_the_decision()
    {
        var request = new AdrRequest(0, 0, 1, 5, 7);

        Assert.Equal(new AdrDecision(0, 0, 1, false), DefaultAdrAlgorithm.Evaluate(Eu, request, History(20, float.NaN, 0)));
        Assert.Equal(new AdrDecision(5, 7, 1, true), DefaultAdrAlgorithm.Evaluate(Eu, request, History(20, float.PositiveInfinity, 0)));
    }

    [Fact]
    public void Evaluation_does_not_allocate()
    {
        var history = History(20, snr: 5f, txPowerIndex: 0);
        var request = new AdrRequest(0, 0, 1, 5, 7);
        _ = DefaultAdrAlgorithm.Evaluate(Eu, request, history);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = DefaultAdrAlgorithm.Evaluate(Eu, request, history);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Installation_margin_defaults_to_10_dB()
    {
        Assert.Equal(10f, new AdrRequest(0, 0, 1, 5, 7).InstallationMarginDb);
    }

    private static UplinkRecord[] History(int count, float snr, int txPowerIndex) =>
        Enumerable.Range(0, count).Select(i => new UplinkRecord((uint)(100 + i), snr, txPowerIndex)).ToArray();
}
