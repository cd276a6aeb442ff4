using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace WirelessNet.Coverage.Measured;

/// <summary>
/// An open-addressing hash table from H3 cell to <see cref="HexAccumulator"/>, the statistics stored inline next to their
/// key. A Dictionary costs two dependent cache misses per lookup (bucket array, then entry array) once a resolution holds
/// hundreds of thousands of hexes; here a lookup touches one slot. Linear probing, Fibonacci hashing, load ≤ 0.7. Zero
/// marks an empty slot (no valid H3 cell is 0). Never shrinks; not thread-safe.
/// </summary>
internal sealed class HexTable
{
    private Slot[] _slots;
    private int _shift;
    private int _growAt;

    public HexTable(int initialCapacity = 64)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, initialCapacity * 10 / 7));
        _slots = new Slot[size];
        _shift = 64 - BitOperations.Log2((uint)size);
        _growAt = size * 7 / 10;
    }

    public int Count { get; private set; }

    /// <summary>The statistics of <paramref name="cell"/>, added (zeroed) when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref HexAccumulator GetOrAdd(ulong cell)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = (int)((cell * 0x9E3779B97F4A7C15UL) >> _shift);
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Cell == cell)
            {
                return ref slot.Value;
            }

            if (slot.Cell == 0)
            {
                if (Count >= _growAt)
                {
                    Grow();
                    return ref GetOrAdd(cell);
                }

                slot.Cell = cell;
                Count++;
                return ref slot.Value;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>
    /// Starts loading the home slot of <paramref name="cell"/> into the cache without waiting for it. A slot spans two cache
    /// lines; once a table outgrows the cache, each lookup is a trip to memory, and issuing them ahead of time lets the trips
    /// of several tables overlap with other work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong cell)
    {
        if (Sse.IsSupported)
        {
            var i = (int)((cell * 0x9E3779B97F4A7C15UL) >> _shift);
            var address = (byte*)Unsafe.AsPointer(ref _slots[i]);
            Sse.Prefetch0(address);
            Sse.Prefetch0(address + 64);
        }
    }

    public bool TryGetValue(ulong cell, out HexAccumulator value)
    {
        if (cell != 0)
        {
            var slots = _slots;
            var mask = slots.Length - 1;
            var i = (int)((cell * 0x9E3779B97F4A7C15UL) >> _shift);
            while (slots[i].Cell != 0)
            {
                if (slots[i].Cell == cell)
                {
                    value = slots[i].Value;
                    return true;
                }

                i = (i + 1) & mask;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Calls <paramref name="visit"/> for every hex (in table order).</summary>
    public void ForEach<TState>(TState state, Action<TState, ulong, HexAccumulator> visit)
    {
        foreach (var slot in _slots)
        {
            if (slot.Cell != 0)
            {
                visit(state, slot.Cell, slot.Value);
            }
        }
    }

    private void Grow()
    {
        var old = _slots;
        var size = old.Length * 2;
        _slots = new Slot[size];
        _shift--;
        _growAt = size * 7 / 10;
        var mask = size - 1;
        foreach (var slot in old)
        {
            if (slot.Cell == 0)
            {
                continue;
            }

            var i = (int)((slot.Cell * 0x9E3779B97F4A7C15UL) >> _shift);
            while (_slots[i].Cell != 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = slot;
        }
    }

    private struct Slot
    {
        public ulong Cell;
        public HexAccumulator Value;
    }
}
