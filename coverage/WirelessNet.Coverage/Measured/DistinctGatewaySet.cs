using System.Numerics;

namespace WirelessNet.Coverage.Measured;

/// <summary>
/// Distinct gateway ids of one hex: exact up to <see cref="ExactCapacity"/> ids (the first four inline, so the usual hex
/// with a handful of gateways allocates nothing), then a 256-register HyperLogLog sketch (standard error ≈ 6.5%, 256 bytes).
/// A mutable struct: keep it in a field or a dictionary slot and mutate it by reference.
/// </summary>
internal struct DistinctGatewaySet
{
    public const int ExactCapacity = 64;
    private const int InlineCapacity = 4;
    private const int RegisterBits = 8;
    private const int RegisterCount = 1 << RegisterBits;

    private ulong _id0;
    private ulong _id1;
    private ulong _id2;
    private ulong _id3;
    private int _count;
    private ulong[]? _more;
    private byte[]? _registers;

    public readonly bool IsExact => _registers is null;

    public readonly int Count => _registers is null ? _count : Estimate(_registers);

    public void Add(ulong id)
    {
        if (_registers is not null)
        {
            AddToSketch(_registers, id);
            return;
        }

        if (Contains(id))
        {
            return;
        }

        switch (_count)
        {
            case 0: _id0 = id; break;
            case 1: _id1 = id; break;
            case 2: _id2 = id; break;
            case 3: _id3 = id; break;
            case < ExactCapacity:
                var slot = _count - InlineCapacity;
                if (_more is null || slot == _more.Length)
                {
                    Array.Resize(ref _more, _more is null ? 4 : Math.Min(_more.Length * 2, ExactCapacity - InlineCapacity));
                }

                _more[slot] = id;
                break;
            default:
                var registers = new byte[RegisterCount];
                AddToSketch(registers, _id0);
                AddToSketch(registers, _id1);
                AddToSketch(registers, _id2);
                AddToSketch(registers, _id3);
                foreach (var other in _more!)
                {
                    AddToSketch(registers, other);
                }

                AddToSketch(registers, id);
                _registers = registers;
                _more = null;
                return;
        }

        _count++;
    }

    private readonly bool Contains(ulong id)
    {
        if (_count == 0)
        {
            return false;
        }

        if (_id0 == id || (_count > 1 && _id1 == id) || (_count > 2 && _id2 == id) || (_count > 3 && _id3 == id))
        {
            return true;
        }

        return _count > InlineCapacity && Array.IndexOf(_more!, id, 0, _count - InlineCapacity) >= 0;
    }

    private static void AddToSketch(byte[] registers, ulong id)
    {
        // Gateway ids are often sequential EUIs: mix them (SplitMix64's finaliser) so every bit is random.
        var h = id;
        h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9UL;
        h = (h ^ (h >> 27)) * 0x94d049bb133111ebUL;
        h ^= h >> 31;
        var index = (int)(h >> (64 - RegisterBits));
        var rank = (byte)Math.Min(BitOperations.LeadingZeroCount(h << RegisterBits) + 1, 64 - RegisterBits + 1);
        if (rank > registers[index])
        {
            registers[index] = rank;
        }
    }

    private static int Estimate(byte[] registers)
    {
        const double M = RegisterCount;
        var alpha = 0.7213 / (1 + (1.079 / M));
        var sum = 0.0;
        var zeros = 0;
        foreach (var r in registers)
        {
            sum += Math.ScaleB(1.0, -r);
            if (r == 0)
            {
                zeros++;
            }
        }

        var estimate = alpha * M * M / sum;
        if (estimate <= 2.5 * M && zeros > 0)
        {
            // small-range correction (linear counting)
            estimate = M * Math.Log(M / zeros);
        }

        return Math.Max(ExactCapacity + 1, (int)Math.Round(estimate));
    }
}
