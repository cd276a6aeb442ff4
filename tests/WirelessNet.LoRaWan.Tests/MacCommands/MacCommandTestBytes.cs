using WirelessNet.LoRaWan.MacCommands;

namespace WirelessNet.LoRaWan.Tests.MacCommands;

/// <summary>Shared plumbing for the MAC command tests: hex vectors in, single commands out.</summary>
internal static class MacCommandTestBytes
{
    public static byte[] FromHex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>Parses a vector that must hold exactly one well-formed command.</summary>
    public static MacCommand ParseSingle(string hex, bool uplink)
    {
        var bytes = FromHex(hex);
        var reader = new MacCommandReader(bytes, uplink);
        Assert.True(reader.TryRead(out var command), reader.Describe());
        Assert.False(reader.TryRead(out _));
        Assert.Equal(MacCommandParseStatus.Completed, reader.Status);
        Assert.Equal(bytes.Length, command.Size);
        Assert.Equal(uplink ? MacCommandDirection.Uplink : MacCommandDirection.Downlink, command.Direction);
        Assert.Equal(bytes[0], command.Cid);
        return command;
    }

    public static string Write(in MacCommand command)
    {
        Span<byte> buffer = stackalloc byte[16];
        var written = MacCommandWriter.Write(buffer, command);
        Assert.Equal(command.Size, written);
        return ToHex(buffer[..written]);
    }
}
