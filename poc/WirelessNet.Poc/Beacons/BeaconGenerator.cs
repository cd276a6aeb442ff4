using System.Buffers.Binary;
using System.Security.Cryptography;
using WirelessNet.LoRaWan.Regions;

namespace WirelessNet.Poc.Beacons;

/// <summary>
/// Builds PoC beacons deterministically from entropy, so the verifier can regenerate a reported beacon bit for bit:
/// <list type="number">
/// <item>seed = SHA-256(remote entropy ‖ remote timestamp (i64 LE) ‖ local entropy (4 bytes) ‖ 0 (i64 LE));</item>
/// <item>payload = the first 51 bytes of SHA-256(seed ‖ 0 (u32 LE)) ‖ SHA-256(seed ‖ 1 (u32 LE)) ‖ … (SHA-256 counter mode);</item>
/// <item>data rate = the region's lowest-index LoRa uplink data rate whose max MACPayload is at least 51 bytes;</item>
/// <item>frequency = channels[u16 LE(payload[0..2]) mod channel count], channels = the region's default channels that
/// carry that data rate, in region order;</item>
/// <item>TX power = region max EIRP − antenna gain, dBm×10.</item>
/// </list>
/// Allocation-free apart from the returned payload array.
/// </summary>
public static class BeaconGenerator
{
    public const int PayloadLength = 51;
    public const int PhyPayloadLength = PayloadLength + 1;
    public const int LocalEntropyLength = 4;
    public const byte ProprietaryMhdr = 0xE0;

    /// <summary>seed = SHA-256(remote entropy ‖ remote timestamp (i64 LE) ‖ local entropy ‖ 0 (i64 LE)).</summary>
    public static void ComputeSeed(ReadOnlySpan<byte> remoteEntropy, long remoteTimestamp, ReadOnlySpan<byte> localEntropy, Span<byte> seed)
    {
        // One-shot hashing over a stack buffer: IncrementalHash would allocate on every regeneration.
        var length = remoteEntropy.Length + sizeof(long) + localEntropy.Length + sizeof(long);
        Span<byte> input = length <= 256 ? stackalloc byte[length] : new byte[length];
        remoteEntropy.CopyTo(input);
        var at = remoteEntropy.Length;
        BinaryPrimitives.WriteInt64LittleEndian(input[at..], remoteTimestamp);
        at += sizeof(long);
        localEntropy.CopyTo(input[at..]);
        at += localEntropy.Length;

        // The trailing zero is Helium's reserved "data" field: kept so the seed layout matches theirs.
        BinaryPrimitives.WriteInt64LittleEndian(input[at..], 0);
        SHA256.HashData(input, seed);
    }

    /// <summary>Fills <paramref name="payload"/> (any length) with the SHA-256 counter-mode stream of <paramref name="seed"/>.</summary>
    public static void FillPayload(ReadOnlySpan<byte> seed, Span<byte> payload)
    {
        Span<byte> input = stackalloc byte[seed.Length + sizeof(uint)];
        Span<byte> block = stackalloc byte[SHA256.HashSizeInBytes];
        seed.CopyTo(input);
        for (uint counter = 0, written = 0; written < payload.Length; counter++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(input[seed.Length..], counter);
            SHA256.HashData(input, block);
            var take = Math.Min(block.Length, payload.Length - (int)written);
            block[..take].CopyTo(payload[(int)written..]);
            written += (uint)take;
        }
    }

    /// <summary>The beacon data rate for a region (see the type remarks).</summary>
    /// <exception cref="InvalidOperationException">The region has no LoRa uplink rate that fits the payload.</exception>
    public static int SelectDataRate(RegionParameters region)
    {
        ArgumentNullException.ThrowIfNull(region);
        var rates = region.DataRates;
        for (var i = 0; i < rates.Count; i++)
        {
            var rate = rates[i];
            if (rate.IsLoRa && rate.IsUplink && rate.MaxMacPayloadSize >= PayloadLength)
            {
                return rate.Index;
            }
        }

        throw new InvalidOperationException($"{region.Name} has no LoRa uplink data rate carrying a {PayloadLength}-byte payload.");
    }

    /// <summary>The beacon frequency for a payload: channels[u16 LE(payload[0..2]) mod count] over the channels carrying <paramref name="dataRate"/>.</summary>
    public static ulong SelectFrequency(RegionParameters region, int dataRate, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(region);
        var channels = region.DefaultChannels;
        var count = 0;
        for (var i = 0; i < channels.Count; i++)
        {
            if (Carries(channels[i], dataRate))
            {
                count++;
            }
        }

        if (count == 0)
        {
            throw new InvalidOperationException($"{region.Name} has no default channel carrying DR{dataRate}.");
        }

        var pick = BinaryPrimitives.ReadUInt16LittleEndian(payload) % count;
        for (var i = 0; i < channels.Count; i++)
        {
            if (Carries(channels[i], dataRate) && pick-- == 0)
            {
                return channels[i].FrequencyHz;
            }
        }

        throw new InvalidOperationException("Unreachable: the channel count changed between two passes.");
    }

    /// <summary>Conducted TX power in dBm×10: the region's max EIRP minus the antenna gain (dBi×10).</summary>
    public static int TxPowerDeciDbm(RegionParameters region, int antennaGainDeciDbi)
    {
        ArgumentNullException.ThrowIfNull(region);
        return (region.DefaultMaxEirpDbm * 10) - antennaGainDeciDbi;
    }

    /// <summary>Builds the beacon a hotspot with <paramref name="antennaGainDeciDbi"/> in <paramref name="region"/> must send.</summary>
    public static Beacon Generate(
        RegionParameters region, int antennaGainDeciDbi, ReadOnlySpan<byte> remoteEntropy, long remoteTimestamp, ReadOnlySpan<byte> localEntropy)
    {
        CheckLocalEntropy(localEntropy);
        Span<byte> seed = stackalloc byte[SHA256.HashSizeInBytes];
        ComputeSeed(remoteEntropy, remoteTimestamp, localEntropy, seed);
        var payload = new byte[PayloadLength];
        FillPayload(seed, payload);
        var dataRate = SelectDataRate(region);
        return new Beacon(payload, SelectFrequency(region, dataRate, payload), dataRate, TxPowerDeciDbm(region, antennaGainDeciDbi));
    }

    /// <summary>
    /// True when the payload, frequency and data rate are exactly what <see cref="Generate"/> gives for these inputs.
    /// TX power is not compared: a beaconer may legitimately transmit below the maximum.
    /// </summary>
    public static bool Regenerates(
        RegionParameters region,
        ReadOnlySpan<byte> remoteEntropy,
        long remoteTimestamp,
        ReadOnlySpan<byte> localEntropy,
        ReadOnlySpan<byte> payload,
        ulong frequencyHz,
        int dataRate)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (localEntropy.Length != LocalEntropyLength || payload.Length != PayloadLength)
        {
            return false;
        }

        Span<byte> seed = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expected = stackalloc byte[PayloadLength];
        ComputeSeed(remoteEntropy, remoteTimestamp, localEntropy, seed);
        FillPayload(seed, expected);
        if (!expected.SequenceEqual(payload))
        {
            return false;
        }

        var expectedDataRate = SelectDataRate(region);
        return dataRate == expectedDataRate && frequencyHz == SelectFrequency(region, expectedDataRate, expected);
    }

    private static bool Carries(UplinkChannel channel, int dataRate) => dataRate >= channel.MinDataRate && dataRate <= channel.MaxDataRate;

    private static void CheckLocalEntropy(ReadOnlySpan<byte> localEntropy)
    {
        if (localEntropy.Length != LocalEntropyLength)
        {
            throw new ArgumentException($"Local entropy is {LocalEntropyLength} bytes.", nameof(localEntropy));
        }
    }
}
