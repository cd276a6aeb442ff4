using Google.Protobuf;

namespace WirelessNet.Proto.Tests;

/// <summary>Helpers for writing expected protobuf encodings as readable hex.</summary>
internal static class Wire
{
    /// <summary>Parses "0a 01 40" style hex (spaces optional) into bytes.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Asserts the encoding of <paramref name="message"/> byte for byte, then that it parses back equal.</summary>
    public static void AssertEncodes<T>(T message, string expectedHex)
        where T : IMessage<T>, new()
    {
        var expected = Hex(expectedHex);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(message.ToByteArray()));

        var parsed = new MessageParser<T>(() => new T()).ParseFrom(expected);
        Assert.Equal(message, parsed);
    }
}
