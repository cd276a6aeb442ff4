using Google.Protobuf;
using Grpc.Core;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Poc.Beacons;
using WirelessNet.Poc.Validation;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Lns.Tests.Poc;

/// <summary>
/// A Helium hotspot taking part in PoC: its key, where it really is, where it says it is (provisioned), and signed
/// beacon/witness reports built the way a hotspot builds them.
/// </summary>
internal sealed class PocHotspotSimulator : IDisposable
{
    public const int GainDeciDbi = 12;

    public PocHotspotSimulator(string name, LatLng actual, LatLng? asserted = null)
    {
        Name = name;
        Key = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        Actual = actual;
        Asserted = asserted ?? actual;
    }

    public string Name { get; }

    public HeliumKeyPair Key { get; }

    public string Address => Key.PublicKey.ToAddress();

    public LatLng Actual { get; }

    public LatLng Asserted { get; }

    public Gateway ToGateway() => new()
    {
        GatewayId = HeliumGatewayIds.FromPublicKey(Key.PublicKey),
        TenantId = "t1",
        Region = "eu868",
        Name = Name,
        Location = new GeoLocation(Asserted.Lat, Asserted.Lng),
        AntennaGainDbi10 = GainDeciDbi,
    };

    /// <summary>A point <paramref name="northKm"/> north and <paramref name="eastKm"/> east of <paramref name="origin"/>.</summary>
    public static LatLng Offset(LatLng origin, double northKm, double eastKm) =>
        new(origin.Lat + (northKm / 111.32), origin.Lng + (eastKm / (111.32 * Math.Cos(origin.Lat * Math.PI / 180))));

    public (lora_beacon_report_req_v1 Report, Beacon Beacon) BuildBeacon(entropy_report_v1 entropy)
    {
        var local = Key.PublicKey.AsSpan()[1..5].ToArray();
        var region = WirelessNet.LoRaWan.Regions.Region.Get("eu868");
        var beacon = BeaconGenerator.Generate(region, GainDeciDbi, entropy.Data.Span, (long)entropy.Timestamp, local);
        var report = new lora_beacon_report_req_v1
        {
            PubKey = ByteString.CopyFrom(Key.PublicKey.AsSpan()),
            LocalEntropy = ByteString.CopyFrom(local),
            RemoteEntropy = entropy.Data,
            Data = ByteString.CopyFrom(beacon.Payload),
            Frequency = beacon.FrequencyHz,
            Datarate = data_rate.Sf12Bw125,
            TxPower = beacon.TxPowerDeciDbm,
            Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
        };
        SignedMessages.Sign(report, Key);
        return (report, beacon);
    }

    /// <summary>A witness of <paramref name="beacon"/> sent by <paramref name="beaconer"/>, with the RSSI physics gives between where both really are (free space minus <paramref name="extraLossDb"/>), unless <paramref name="claimedRssiDbm"/> says otherwise.</summary>
    public lora_witness_report_req_v1 BuildWitness(Beacon beacon, PocHotspotSimulator beaconer, double extraLossDb = 15, int? claimedRssiDbm = null, HeliumKeyPair? signer = null)
    {
        var distance = Math.Max(1, H3Grid.GreatCircleDistanceKm(Actual, beaconer.Actual) * 1000);
        var rssi = claimedRssiDbm ?? (int)Math.Floor(FreeSpace.MaxRssiDbm(beacon.TxPowerDeciDbm, GainDeciDbi, GainDeciDbi, distance, beacon.FrequencyHz) - extraLossDb);
        var report = new lora_witness_report_req_v1
        {
            PubKey = ByteString.CopyFrom(Key.PublicKey.AsSpan()),
            Data = ByteString.CopyFrom(beacon.Payload),
            Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            Signal = rssi * 10,
            Snr = 50,
            Frequency = beacon.FrequencyHz,
            Datarate = data_rate.Sf12Bw125,
        };
        SignedMessages.Sign(report, signer ?? Key);
        return report;
    }

    /// <summary>A signed witness report with the given RSSI (dBm×10) and SNR (dB×10).</summary>
    public lora_witness_report_req_v1 BuildWitness(Beacon beacon, int signalDeciDbm, int snrDeciDb)
    {
        var report = new lora_witness_report_req_v1
        {
            PubKey = ByteString.CopyFrom(Key.PublicKey.AsSpan()),
            Data = ByteString.CopyFrom(beacon.Payload),
            Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            Signal = signalDeciDbm,
            Snr = snrDeciDb,
            Frequency = beacon.FrequencyHz,
            Datarate = data_rate.Sf12Bw125,
        };
        SignedMessages.Sign(report, Key);
        return report;
    }

    public void Dispose() => Key.Dispose();
}
