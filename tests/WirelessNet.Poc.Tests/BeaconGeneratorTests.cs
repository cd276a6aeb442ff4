using System.Buffers.Binary;
using System.Security.Cryptography;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Regions;
using WirelessNet.Poc.Beacons;

namespace WirelessNet.Poc.Tests;

public sealed class BeaconGeneratorTests
{
    private static readonly byte[] RemoteEntropy = SHA256.HashData("remote"u8);
    private const long RemoteTimestamp = 1_767_225_600;
    private static readonly byte[] LocalEntropy = [0xDE, 0xAD, 0xBE, 0xEF];

    [Fact]
    public void SeedIsSha256OfEntropyTimestampLocalEntropyAndZero()
    {
        var input = new byte[32 + 8 + 4 + 8];
        RemoteEntropy.CopyTo(input, 0);
        BinaryPrimitives.WriteInt64LittleEndian(input.AsSpan(32), RemoteTimestamp);
        LocalEntropy.CopyTo(input, 40);
        var seed = new byte[32];
        BeaconGenerator.ComputeSeed(RemoteEntropy, RemoteTimestamp, LocalEntropy, seed);
        Assert.Equal(SHA256.HashData(input), seed);
    }

    [Fact]
    public void PayloadIsSha256CounterModeOfTheSeed()
    {
        var seed = new byte[32];
        BeaconGenerator.ComputeSeed(RemoteEntropy, RemoteTimestamp, LocalEntropy, seed);
        var block0 = SHA256.HashData([.. seed, 0, 0, 0, 0]);
        var block1 = SHA256.HashData([.. seed, 1, 0, 0, 0]);

        var beacon = BeaconGenerator.Generate(Region.Eu868, 12, RemoteEntropy, RemoteTimestamp, LocalEntropy);

        Assert.Equal(51, beacon.Payload.Length);
        Assert.Equal(block0.Concat(block1).Take(51).ToArray(), beacon.Payload);
    }

    [Fact]
    public void Eu868BeaconUsesDr0ADefaultChannelPickedByThePayloadAndMaxEirpMinusGain()
    {
        var beacon = BeaconGenerator.Generate(Region.Eu868, 12, RemoteEntropy, RemoteTimestamp, LocalEntropy);
        ulong[] channels = [868_100_000, 868_300_000, 868_500_000];

        Assert.Equal(0, beacon.DataRate); // DR0 (SF12) carries 59 bytes, the first rate ≥ 51
        Assert.Equal(channels[BinaryPrimitives.ReadUInt16LittleEndian(beacon.Payload) % 3], beacon.FrequencyHz);
        Assert.Equal(148, beacon.TxPowerDeciDbm); // 16 dBm EIRP − 1.2 dBi
    }

    [Fact]
    public void FrequencyFollowsTheFirstTwoPayloadBytes()
    {
        var payload = new byte[51];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, 1_000); // 1000 mod 3 = 1
        Assert.Equal(868_300_000UL, BeaconGenerator.SelectFrequency(Region.Eu868, 0, payload));
        BinaryPrimitives.WriteUInt16LittleEndian(payload, 0xFFFF); // 65535 mod 3 = 0
        Assert.Equal(868_100_000UL, BeaconGenerator.SelectFrequency(Region.Eu868, 0, payload));
    }

    [Fact]
    public void Us915BeaconUsesTheFirstRateThatFitsAndA125KHzChannel()
    {
        var region = Region.Us915;
        var beacon = BeaconGenerator.Generate(region, 30, RemoteEntropy, RemoteTimestamp, LocalEntropy);
        Assert.True(region.GetDataRate(beacon.DataRate).MaxMacPayloadSize >= 51);
        Assert.All(region.DataRates.Where(dr => dr.IsLoRa && dr.IsUplink && dr.Index < beacon.DataRate), dr => Assert.True(dr.MaxMacPayloadSize < 51));
        Assert.Contains(region.DefaultChannels, c => c.FrequencyHz == beacon.FrequencyHz && c.BandwidthHz == 125_000);
        Assert.Equal((region.DefaultMaxEirpDbm * 10) - 30, beacon.TxPowerDeciDbm);
    }

    [Fact]
    public void RegeneratesExactlyAndRejectsAnyChange()
    {
        var beacon = BeaconGenerator.Generate(Region.Eu868, 12, RemoteEntropy, RemoteTimestamp, LocalEntropy);
        var again = BeaconGenerator.Generate(Region.Eu868, 12, RemoteEntropy, RemoteTimestamp, LocalEntropy);
        Assert.Equal(beacon.Payload, again.Payload);
        Assert.Equal(beacon with { Payload = again.Payload }, again);

        Assert.True(Regenerates(beacon.Payload, beacon.FrequencyHz, beacon.DataRate));
        var flipped = (byte[])beacon.Payload.Clone();
        flipped[50] ^= 0x01;
        Assert.False(Regenerates(flipped, beacon.FrequencyHz, beacon.DataRate));
        Assert.False(Regenerates(beacon.Payload, beacon.FrequencyHz + 200_000, beacon.DataRate));
        Assert.False(Regenerates(beacon.Payload, beacon.FrequencyHz, 1));
        Assert.False(BeaconGenerator.Regenerates(Region.Eu868, RemoteEntropy, RemoteTimestamp + 60, LocalEntropy, beacon.Payload, beacon.FrequencyHz, beacon.DataRate));
        Assert.False(BeaconGenerator.Regenerates(Region.Eu868, RemoteEntropy, RemoteTimestamp, [1, 2, 3], beacon.Payload, beacon.FrequencyHz, beacon.DataRate));
    }

    [Fact]
    public void OnAirFrameIsProprietaryMhdrPlus51Bytes()
    {
        var beacon = BeaconGenerator.Generate(Region.Eu868, 12, RemoteEntropy, RemoteTimestamp, LocalEntropy);
        var frame = beacon.ToPhyPayload();
        Assert.Equal(52, frame.Length);
        Assert.Equal(0xE0, frame[0]);
        Assert.Equal(FrameError.None, ProprietaryFrame.TryDecode(frame, out var decoded));
        Assert.Equal(MType.Proprietary, decoded.Mhdr.MType);
        Assert.True(decoded.Payload.SequenceEqual(beacon.Payload));
    }

    [Fact]
    public void LocalEntropyMustBeFourBytes() =>
        Assert.Throws<ArgumentException>(() => BeaconGenerator.Generate(Region.Eu868, 12, RemoteEntropy, RemoteTimestamp, [1, 2, 3]));

    private static bool Regenerates(byte[] payload, ulong frequency, int dataRate) =>
        BeaconGenerator.Regenerates(Region.Eu868, RemoteEntropy, RemoteTimestamp, LocalEntropy, payload, frequency, dataRate);
}
