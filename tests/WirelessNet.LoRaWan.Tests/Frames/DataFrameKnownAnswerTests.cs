using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.LoRaWan.Tests.Frames;

public sealed class DataFrameKnownAnswerTests
{
    // lora-packet README (anthonykirby/lora-packet, "Usage" example): an unconfirmed uplink carrying "test".
    [Fact]
    public void Lora_packet_readme_uplink_decodes_verifies_and_decrypts()
    {
        var wire = Convert.FromHexString("40F17DBE4900020001954378762B11FF0D");
        using var session = SessionSecurity.ForLoRaWan10(
            AesKey.Parse("44024241ed4ce9a68c6a8bc055233fd3"),
            AesKey.Parse("ec925802ae430ca77fd3dd73cb2cc588"));

        Assert.Equal(FrameError.None, DataFrame.TryDecode(wire, out var frame));
        Assert.Equal(MType.UnconfirmedDataUp, frame.MType);
        Assert.Equal("49be7df1", frame.DevAddr.ToString());
        Assert.Equal(2, frame.FCnt);
        Assert.Equal(1, frame.FPort);
        Assert.Equal("2b11ff0d", frame.Mic.ToString());
        Assert.True(session.VerifyMic(frame, 2));

        var plain = new byte[frame.FrmPayload.Length];
        session.DecryptFrmPayload(frame, 2, plain);
        Assert.Equal("test", System.Text.Encoding.ASCII.GetString(plain));

        var encoded = new byte[wire.Length];
        session.EncodeDataFrame(encoded, MType.UnconfirmedDataUp, frame.DevAddr, frame.FCtrl, 2, [], 1, plain);
        Assert.Equal(wire, encoded);
    }

    [Theory]
    [InlineData("", FrameError.Empty)]
    [InlineData("40f17dbe490002", FrameError.DataFrameTooShort)]
    [InlineData("41F17DBE4900020001954378762B11FF0D", FrameError.UnsupportedMajor)]
    [InlineData("40F17DBE490F020001954378762B11FF0D", FrameError.FOptsOverrunFrame)]
    [InlineData("40F17DBE4901020003004378762B11FF0D", FrameError.FOptsWithPortZero)]
    [InlineData("00F17DBE4900020001954378762B11FF0D", FrameError.WrongMType)]
    public void Malformed_data_frames_are_rejected_with_a_reason(string hex, FrameError expected)
    {
        Assert.Equal(expected, DataFrame.TryDecode(Convert.FromHexString(hex), out _));
        Assert.NotEqual("unknown frame error", expected.Describe());
    }

    [Fact]
    public void Oversize_payload_is_rejected()
    {
        var wire = new byte[256];
        wire[0] = 0x40;
        Assert.Equal(FrameError.TooLong, DataFrame.TryDecode(wire, out _));
    }
}
