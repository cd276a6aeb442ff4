using System.Runtime.CompilerServices;

namespace WirelessNet.LoRaWan.MacCommands;

/// <summary>
/// One LoRaWAN MAC command (CID, direction and payload) as a 16-byte value.
/// </summary>
/// <remarks>
/// <para>
/// The payload is kept exactly as it appears on the wire, so reading and writing back gives the same bytes,
/// RFU bits included, and equality means "same bytes". Field accessors decode on demand; each is valid only
/// for the commands that carry that field and throws <see cref="InvalidOperationException"/> otherwise, so a
/// misrouted command fails loudly instead of yielding a plausible number.
/// </para>
/// <para>
/// Build commands with the static factories (<see cref="LinkAdrReq"/>, <see cref="DevStatusAns"/>, ...), parse
/// them with <see cref="MacCommandReader"/>, serialize them with <see cref="MacCommandWriter"/>.
/// <c>default(MacCommand)</c> has kind <see cref="MacCommandKind.None"/> and cannot be written.
/// </para>
/// </remarks>
public readonly partial struct MacCommand : IEquatable<MacCommand>
{
    // At most 5 payload bytes, packed little-endian (payload byte i in bits 8i..8i+7): a ulong holds every
    // command without an array, which keeps parsing into a Span<MacCommand> free of allocations.
    private readonly ulong _payload;

    private MacCommand(MacCommandKind kind, ulong payload)
    {
        Kind = kind;
        _payload = payload;
    }

    /// <summary>The command as the specification names it (CID plus direction).</summary>
    public MacCommandKind Kind { get; }

    /// <summary>The command identifier byte.</summary>
    public byte Cid => (byte)((ushort)Kind >> 1);

    public MacCommandDirection Direction => (MacCommandDirection)((ushort)Kind & 1);

    /// <summary>Payload length in bytes, CID excluded (0 for <c>default</c>).</summary>
    public int PayloadLength => Kind == MacCommandKind.None ? 0 : MacCommandLayout.PayloadLength(Kind);

    /// <summary>Bytes this command occupies on the wire: the CID plus the payload (0 for <c>default</c>).</summary>
    public int Size => Kind == MacCommandKind.None ? 0 : 1 + MacCommandLayout.PayloadLength(Kind);

    /// <summary>Copies the raw payload (without the CID) and returns its length.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="PayloadLength"/>.</exception>
    public int CopyPayloadTo(Span<byte> destination)
    {
        var length = PayloadLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The {Kind} payload is {length} bytes; the destination holds {destination.Length}.", nameof(destination));
        }

        WritePayload(destination);
        return length;
    }

    /// <summary>Builds a command from payload bytes whose length the caller has already checked against the layout.</summary>
    internal static MacCommand FromPayload(MacCommandKind kind, ReadOnlySpan<byte> payload)
    {
        ulong packed = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            packed |= (ulong)payload[i] << (8 * i);
        }

        return new MacCommand(kind, packed);
    }

    internal void WritePayload(Span<byte> destination)
    {
        var length = PayloadLength;
        for (var i = 0; i < length; i++)
        {
            destination[i] = (byte)(_payload >> (8 * i));
        }
    }

    public bool Equals(MacCommand other) => Kind == other.Kind && _payload == other._payload;

    public override bool Equals(object? obj) => obj is MacCommand other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _payload);

    public static bool operator ==(MacCommand left, MacCommand right) => left.Equals(right);

    public static bool operator !=(MacCommand left, MacCommand right) => !left.Equals(right);

    private byte PayloadByte(int index) => (byte)(_payload >> (8 * index));

    private bool StatusBit(int bit) => ((_payload >> bit) & 1) != 0;

    // Frequencies travel as 24-bit little-endian multiples of 100 Hz (LoRaWAN 1.0.4 §5.4, §5.6).
    private uint FrequencyAt(int index) => (uint)((_payload >> (8 * index)) & 0xFF_FFFF) * FrequencyStepHz;

    private InvalidOperationException NotAField([CallerMemberName] string field = "") =>
        new($"{field} is not a field of {Kind}.");
}
