using Google.Protobuf;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Signing;
using WirelessNet.Proto.Offload;
using WirelessNet.Simulators.Carriers;
using WirelessNet.Simulators.World;
using Xunit;

namespace WirelessNet.Simulators.Tests.Carriers;

public sealed class CarrierRadioSimulatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Helium_envelopes_verify_the_helium_way_with_both_key_types()
    {
        var simulator = new CarrierRadioSimulator(Network(10, 5), 0, 5);
        var batch = simulator.NextBatch(200, Now);
        Assert.Equal(200, batch.Sessions.Count);
        Assert.Contains(simulator.Radios, r => r.Key.KeyType == HeliumKeyType.EccCompact);
        Assert.Contains(simulator.Radios, r => r.Key.KeyType == HeliumKeyType.Ed25519);
        foreach (var session in batch.Sessions)
        {
            var e = session.DataTransferUsage.Clone();
            e.Signature = ByteString.Empty;
            Assert.True(HeliumPublicKey.Parse(e.PubKey.Span).Verify(e.ToByteArray(), session.DataTransferUsage.Signature.Span));
            var envelope = session.Clone();
            envelope.Signature = ByteString.Empty;
            Assert.True(simulator.Router.PublicKey.Verify(envelope.ToByteArray(), session.Signature.Span));
            Assert.True(session.RewardableBytes <= session.DataTransferUsage.UploadBytes + session.DataTransferUsage.DownloadBytes);
        }

        Assert.Equal(200, batch.Sessions.Select(s => s.DataTransferUsage.EventId).Distinct().Count());
    }

    [Fact]
    public void Radius_sessions_start_at_zero_grow_and_stop_and_are_signed_over_the_canonical_encoding()
    {
        var simulator = new CarrierRadioSimulator(Network(5, 7), 1.0, 7);
        var records = new List<accounting_session_record>();
        for (var i = 0; i < 20; i++)
        {
            records.AddRange(simulator.NextBatch(50, Now).AccountingRecords);
        }

        foreach (var session in records.GroupBy(r => r.AccountingSessionId))
        {
            var list = session.ToList();
            Assert.Equal(accounting_kind.Start, list[0].AccountingKind);
            Assert.Equal(0UL, list[0].UploadBytes + list[0].DownloadBytes);
            for (var i = 1; i < list.Count; i++)
            {
                Assert.True(list[i].UploadBytes >= list[i - 1].UploadBytes && list[i].DownloadBytes >= list[i - 1].DownloadBytes);
            }

            Assert.True(list.Count(r => r.AccountingKind == accounting_kind.Stop) <= 1);
        }

        Assert.Contains(records, r => r.AccountingKind == accounting_kind.Stop);
        var record = records.First(r => r.AccountingKind == accounting_kind.Interim);
        var e = new DataTransferEvent(
            HeliumPublicKey.Parse(record.HotspotPubKey.Span), (long)record.UploadBytes, (long)record.DownloadBytes, (RadioAccessTechnology)(int)record.RadioAccessTechnology,
            record.EventId, HeliumPublicKey.Parse(record.Payer.Span), (long)record.Timestamp, record.HotspotSignature.Memory)
        {
            AccountingKind = AccountingRecordKind.Interim,
            AccountingSessionId = record.AccountingSessionId,
        };
        var verifier = new HeliumRecordSignatureVerifier();
        Assert.True(verifier.VerifyEvent(e));
        Assert.True(verifier.VerifySessionRequest(new DataTransferSessionRequest(e, (long)record.RewardableBytes, simulator.Router.PublicKey, "c1", false, false, record.RouterSignature.Memory)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_keys()
    {
        var first = new CarrierRadioSimulator(Network(4, 11), 0.2, 11);
        var second = new CarrierRadioSimulator(Network(4, 11), 0.2, 11);
        Assert.Equal(first.Router.PublicKey, second.Router.PublicKey);
        Assert.Equal(first.Radios.Select(r => r.Key.PublicKey), second.Radios.Select(r => r.Key.PublicKey));
        Assert.NotEqual(first.Router.PublicKey, new CarrierRadioSimulator(Network(4, 12), 0.2, 11).Router.PublicKey);
    }

    [Fact]
    public void The_simulator_drives_the_world_radios_with_their_keys_technologies_and_places()
    {
        var world = WorldGenerator.Generate(new WorldOptions { Seed = 9, Hotspots = 5, Devices = 0, CarrierRadios = 6, CarrierId = "demo-carrier" });
        var network = Assert.Single(CarrierNetwork.FromWorld(world));
        Assert.Equal("demo-carrier", network.CarrierId);
        for (var i = 0; i < world.CarrierRadios.Count; i++)
        {
            Assert.Equal(WorldGenerator.CarrierRadioKey(9, i, world.CarrierRadios[i].HeliumKeyType).PublicKey, network.Radios[i].Key.PublicKey);
        }

        var simulator = new CarrierRadioSimulator(network, 0, 3);
        var sessions = simulator.NextBatch(600, Now).Sessions;
        var byKey = network.Radios.ToDictionary(r => r.Key.PublicKey.ToAddress());
        foreach (var session in sessions)
        {
            var radio = byKey[HeliumPublicKey.Parse(session.DataTransferUsage.PubKey.Span).ToAddress()];
            Assert.Equal(radio.IsCbrs ? WirelessNet.Proto.Helium.PocMobile.data_transfer_radio_access_technology.Eutran : WirelessNet.Proto.Helium.PocMobile.data_transfer_radio_access_technology.Wlan, session.DataTransferUsage.RadioAccessTechnology);
        }

        // Sessions follow subscribers: the busiest radio carries more than the quietest.
        var counts = network.Radios.ToDictionary(r => r, r => sessions.Count(s => HeliumPublicKey.Parse(s.DataTransferUsage.PubKey.Span) == r.Key.PublicKey));
        var busiest = network.Radios.MaxBy(r => r.Definition.Subscribers)!;
        var quietest = network.Radios.MinBy(r => r.Definition.Subscribers)!;
        Assert.True(counts[busiest] > counts[quietest], $"{counts[busiest]} sessions on {busiest.Definition.Subscribers} subscribers, {counts[quietest]} on {quietest.Definition.Subscribers}");

        // Heartbeats: CBRS cells with a SAS grant, Wi-Fi at the asserted location, each signed by its radio over its encoding.
        var heartbeats = simulator.Heartbeats(Now);
        Assert.Equal(3, heartbeats.CellHeartbeats.Count);
        Assert.Equal(3, heartbeats.WifiHeartbeats.Count);
        foreach (var cell in heartbeats.CellHeartbeats)
        {
            Assert.NotEmpty(cell.CbsdId);
            var unsigned = cell.Clone();
            unsigned.Signature = ByteString.Empty;
            Assert.True(HeliumPublicKey.Parse(cell.PubKey.Span).Verify(unsigned.ToByteArray(), cell.Signature.Span));
            var radio = byKey[HeliumPublicKey.Parse(cell.PubKey.Span).ToAddress()];
            Assert.Equal((radio.Definition.Latitude, radio.Definition.Longitude), (cell.Lat, cell.Lon));
        }

        foreach (var wifi in heartbeats.WifiHeartbeats)
        {
            var unsigned = wifi.Clone();
            unsigned.Signature = ByteString.Empty;
            Assert.True(HeliumPublicKey.Parse(wifi.PubKey.Span).Verify(unsigned.ToByteArray(), wifi.Signature.Span));
        }

        var speedtests = simulator.Speedtests(Now).Speedtests;
        Assert.Equal(6, speedtests.Count);
        Assert.All(speedtests, t => Assert.InRange(t.DownloadSpeed, 1UL, 37_500_000UL));
    }

    private static CarrierNetwork Network(int radios, int seed) =>
        CarrierNetwork.Generate(new WorldOptions { Seed = seed, CarrierRadios = radios, CarrierId = "c1" });
}
