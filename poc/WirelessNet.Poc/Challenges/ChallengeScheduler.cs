using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using WirelessNet.Helium.Crypto;
using WirelessNet.Poc.Hotspots;

namespace WirelessNet.Poc.Challenges;

/// <summary>A hotspot's challenge: when in the window it must beacon.</summary>
public readonly record struct ScheduledChallenge(HeliumPublicKey Hotspot, DateTimeOffset At);

/// <summary>
/// Challenge windows and the time each hotspot is challenged in one. Windows are consecutive
/// <see cref="Validation.PocValidationOptions.ChallengeWindow"/>-long spans from the Unix epoch. In each, every
/// eligible hotspot (asserted, full capability, not denied) is challenged once, at
/// window start + (u64 LE(SHA-256("wirelessnet/poc/challenge/v1" ‖ window entropy ‖ hotspot key binary)[0..8]) mod
/// window seconds) seconds. The window entropy is the chain value valid at the window's start, public from then on,
/// so anyone can recompute the schedule but nobody can know it before the window begins.
/// </summary>
public static class ChallengeScheduler
{
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("wirelessnet/poc/challenge/v1");

    /// <summary>Index of the window containing <paramref name="time"/> (floor of Unix seconds / window seconds).</summary>
    public static long WindowIndex(DateTimeOffset time, TimeSpan window)
    {
        var windowSeconds = WindowSeconds(window);
        var seconds = time.ToUnixTimeSeconds();

        // Floor, not truncation: times before 1970 belong to the window that starts before them.
        var index = seconds / windowSeconds;
        return seconds % windowSeconds < 0 ? index - 1 : index;
    }

    public static DateTimeOffset WindowStart(DateTimeOffset time, TimeSpan window) =>
        DateTimeOffset.FromUnixTimeSeconds(WindowIndex(time, window) * WindowSeconds(window));

    /// <summary>When <paramref name="hotspot"/> is challenged in the window starting at <paramref name="windowStart"/>.</summary>
    public static DateTimeOffset ChallengeTime(DateTimeOffset windowStart, TimeSpan window, ReadOnlySpan<byte> windowEntropy, HeliumPublicKey hotspot)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        var windowSeconds = WindowSeconds(window);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Domain);
        hash.AppendData(windowEntropy);
        hash.AppendData(hotspot.AsSpan());
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);

        // The modulo bias of a 64-bit value over at most a few days of seconds is below 2^-40: irrelevant here.
        var offset = BinaryPrimitives.ReadUInt64LittleEndian(digest) % (ulong)windowSeconds;
        return windowStart.AddSeconds(offset);
    }

    public static bool IsEligible(PocHotspot hotspot, PocDenylist? denylist = null)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        return hotspot.IsAsserted && hotspot.Capability == HotspotCapability.Full && !(denylist ?? PocDenylist.Empty).IsDenied(hotspot.Key);
    }

    /// <summary>The window's challenges for the eligible hotspots, ordered by time then key.</summary>
    public static IReadOnlyList<ScheduledChallenge> Schedule(
        DateTimeOffset windowStart, TimeSpan window, ReadOnlySpan<byte> windowEntropy, IEnumerable<PocHotspot> hotspots, PocDenylist? denylist = null)
    {
        ArgumentNullException.ThrowIfNull(hotspots);
        if (WindowStart(windowStart, window) != windowStart)
        {
            throw new ArgumentException("Not the start of a challenge window.", nameof(windowStart));
        }

        var challenges = new List<ScheduledChallenge>();
        foreach (var hotspot in hotspots)
        {
            if (IsEligible(hotspot, denylist))
            {
                challenges.Add(new ScheduledChallenge(hotspot.Key, ChallengeTime(windowStart, window, windowEntropy, hotspot.Key)));
            }
        }

        challenges.Sort(static (a, b) =>
        {
            var byTime = a.At.CompareTo(b.At);
            return byTime != 0 ? byTime : a.Hotspot.AsSpan().SequenceCompareTo(b.Hotspot.AsSpan());
        });
        return challenges;
    }

    private static long WindowSeconds(TimeSpan window)
    {
        var seconds = (long)window.TotalSeconds;
        if (seconds <= 0 || TimeSpan.FromSeconds(seconds) != window)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "A challenge window is a positive whole number of seconds.");
        }

        return seconds;
    }
}
