using System.Buffers.Binary;

namespace WirelessNet.LoRaWan.Primitives;

/// <summary>A 4-byte message integrity code, kept in the byte order it has on the wire.</summary>
public readonly struct Mic : IEquatable<Mic>
{
    public const int Size = 4;

    private readonly uint _wire;

    private Mic(uint wire) => _wire = wire;

    /// <summary>The MIC whose four bytes are <paramref name="source"/>[0..4] in wire order.</summary>
    public static Mic Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32LittleEndian(source));

    /// <summary>The MIC whose wire bytes, read as a little-endian 32-bit word, are <paramref name="wire"/>.</summary>
    public static Mic FromWireValue(uint wire) => new(wire);

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt32LittleEndian(destination, _wire);

    /// <summary>Compares against four wire bytes without branching on their content.</summary>
    public bool Matches(ReadOnlySpan<byte> wire) => BinaryPrimitives.ReadUInt32LittleEndian(wire) == _wire;

    public override string ToString()
    {
        Span<byte> b = stackalloc byte[Size];
        Write(b);
        return Convert.ToHexStringLower(b);
    }

    public bool Equals(Mic other) => _wire == other._wire;

    public override bool Equals(object? obj) => obj is Mic other && Equals(other);

    public override int GetHashCode() => (int)_wire;

    public static bool operator ==(Mic left, Mic right) => left.Equals(right);

    public static bool operator !=(Mic left, Mic right) => !left.Equals(right);
}
