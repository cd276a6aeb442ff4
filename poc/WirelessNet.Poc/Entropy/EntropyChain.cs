using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace WirelessNet.Poc.Entropy;

/// <summary>
/// The operator's entropy chain: every <see cref="IntervalSeconds"/> a new value
/// SHA-256(previous ‖ Unix time as i64 LE ‖ operator seed). Each value is published when produced and is valid for
/// <see cref="LifespanSeconds"/>; beacons must use a valid one, which proves they were not built in advance. The
/// operator seed is secret until disclosed, so nobody can precompute the chain; once disclosed, anyone can
/// <see cref="Verify"/> it. Not thread-safe while appending.
/// </summary>
public sealed class EntropyChain
{
    public const int IntervalSeconds = 60;
    public const int LifespanSeconds = 180;
    public const uint CurrentVersion = 1;

    private readonly byte[] _operatorSeed;
    private readonly List<EntropyReport> _entries = [];

    // Keyed by the first 8 bytes of a value: lookups by the entropy a report quotes must not allocate.
    private readonly Dictionary<ulong, int> _indexByPrefix = [];

    /// <param name="operatorSeed">The operator's external seed, mixed into every value.</param>
    /// <param name="genesis">The first value; trusted as given (e.g. 32 random bytes).</param>
    public EntropyChain(ReadOnlySpan<byte> operatorSeed, EntropyReport genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        _operatorSeed = operatorSeed.ToArray();
        Add(genesis);
    }

    public IReadOnlyList<EntropyReport> Entries => _entries;

    public EntropyReport Latest => _entries[^1];

    /// <summary>SHA-256(previous ‖ unixTimeSeconds (i64 LE) ‖ operatorSeed).</summary>
    public static byte[] ComputeNext(ReadOnlySpan<byte> previous, long unixTimeSeconds, ReadOnlySpan<byte> operatorSeed)
    {
        var next = new byte[SHA256.HashSizeInBytes];
        ComputeNext(previous, unixTimeSeconds, operatorSeed, next);
        return next;
    }

    public static void ComputeNext(ReadOnlySpan<byte> previous, long unixTimeSeconds, ReadOnlySpan<byte> operatorSeed, Span<byte> destination)
    {
        // One-shot over a stack buffer: verifying a long chain should not allocate per link.
        var length = previous.Length + sizeof(long) + operatorSeed.Length;
        Span<byte> input = length <= 256 ? stackalloc byte[length] : new byte[length];
        previous.CopyTo(input);
        BinaryPrimitives.WriteInt64LittleEndian(input[previous.Length..], unixTimeSeconds);
        operatorSeed.CopyTo(input[(previous.Length + sizeof(long))..]);
        SHA256.HashData(input, destination);
    }

    /// <summary>
    /// True when every entry after the first is SHA-256 of its predecessor, its time and the seed, and times strictly
    /// increase. The first entry is the genesis and is taken as given.
    /// </summary>
    public static bool Verify(IReadOnlyList<EntropyReport> chain, ReadOnlySpan<byte> operatorSeed)
    {
        ArgumentNullException.ThrowIfNull(chain);
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        for (var i = 1; i < chain.Count; i++)
        {
            var previous = chain[i - 1];
            var current = chain[i];
            if (current.Timestamp <= previous.Timestamp)
            {
                return false;
            }

            ComputeNext(previous.Data, current.Timestamp, operatorSeed, expected);
            if (!expected.SequenceEqual(current.Data))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Appends the value for <paramref name="unixTimeSeconds"/>, which must be later than the latest entry's.</summary>
    public EntropyReport Append(long unixTimeSeconds)
    {
        var latest = Latest;
        if (unixTimeSeconds <= latest.Timestamp)
        {
            throw new ArgumentOutOfRangeException(nameof(unixTimeSeconds), unixTimeSeconds, $"Entropy times must increase; the latest is {latest.Timestamp}.");
        }

        var report = new EntropyReport(ComputeNext(latest.Data, unixTimeSeconds, _operatorSeed), unixTimeSeconds, CurrentVersion);
        Add(report);
        return report;
    }

    /// <summary>
    /// Appends a value at every <see cref="IntervalSeconds"/> step after the latest entry up to
    /// <paramref name="nowUnixSeconds"/>, so a producer that woke late still leaves no gap; returns how many.
    /// </summary>
    public int AppendDue(long nowUnixSeconds)
    {
        var added = 0;
        while (Latest.Timestamp + IntervalSeconds <= nowUnixSeconds)
        {
            Append(Latest.Timestamp + IntervalSeconds);
            added++;
        }

        return added;
    }

    /// <summary>True when this chain verifies (see <see cref="Verify"/>).</summary>
    public bool Verify() => Verify(_entries, _operatorSeed);

    /// <summary>The newest entry valid at <paramref name="unixTimeMilliseconds"/>, i.e. the one a beacon built then should use.</summary>
    public bool TryGetValidAt(long unixTimeMilliseconds, [NotNullWhen(true)] out EntropyReport? report)
    {
        // Binary search for the last entry produced at or before the time; only it can be the newest valid one.
        int lo = 0, hi = _entries.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_entries[mid].Timestamp * 1000 <= unixTimeMilliseconds)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        report = found >= 0 && _entries[found].IsValidAt(unixTimeMilliseconds) ? _entries[found] : null;
        return report is not null;
    }

    public bool TryGetValidAt(DateTimeOffset time, [NotNullWhen(true)] out EntropyReport? report) =>
        TryGetValidAt(time.ToUnixTimeMilliseconds(), out report);

    /// <summary>Finds the entry whose value is <paramref name="data"/>, whenever it was produced.</summary>
    public bool TryFind(ReadOnlySpan<byte> data, [NotNullWhen(true)] out EntropyReport? report)
    {
        report = null;
        if (_indexByPrefix.TryGetValue(Prefix(data), out var index) && _entries[index].Data.AsSpan().SequenceEqual(data))
        {
            report = _entries[index];
        }

        return report is not null;
    }

    private void Add(EntropyReport report)
    {
        ArgumentNullException.ThrowIfNull(report.Data);

        // Two SHA-256 outputs sharing 64 bits is not expected in the life of a network; refuse rather than shadow one.
        if (!_indexByPrefix.TryAdd(Prefix(report.Data), _entries.Count))
        {
            throw new InvalidOperationException("Entropy value collides with an earlier one on its first 8 bytes.");
        }

        _entries.Add(report);
    }

    private static ulong Prefix(ReadOnlySpan<byte> data)
    {
        Span<byte> padded = stackalloc byte[sizeof(ulong)];
        padded.Clear();
        data[..Math.Min(data.Length, sizeof(ulong))].CopyTo(padded);
        return BinaryPrimitives.ReadUInt64LittleEndian(padded);
    }
}
