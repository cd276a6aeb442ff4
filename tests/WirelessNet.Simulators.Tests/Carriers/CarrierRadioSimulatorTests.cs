using Google.Protobuf;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Signing;
using WirelessNet.Proto.Offload;
using WirelessNet.Simulators.Carriers;
using Xunit;

namespace WirelessNet.Simulators.Tests.Carriers;

public sealed class CarrierRadioSimulatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Helium_envelopes_verify_the_helium_way_with_both_key_types()
    {
        var simulator = new CarrierRadioSimulator(new CarrierTrafficProfile("c1", 10, 0, 5));
        var batch = simulator.NextBatch(200, Now);
        Assert.Equal(200, batch.Sessions.Count);
        Assert.Contains(simulator.Hotspots, h => h.KeyType == HeliumKeyType.EccCompact);
        Assert.Contains(simulator.Hotspots, h => h.KeyType == HeliumKeyType.Ed25519);
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
        var simulator = new CarrierRadioSimulator(new CarrierTrafficProfile("c1", 5, 1.0, 7));
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
            HeliumPublicKey.Parse(record.HotspotPubKey.Span), (long)record.UploadBytes, (long)record.DownloadBytes, RadioAccessTechnology.Eutran,
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
        var first = new CarrierRadioSimulator(new CarrierTrafficProfile("c1", 4, 0.2, 11));
        var second = new CarrierRadioSimulator(new CarrierTrafficProfile("c1", 4, 0.2, 11));
        Assert.Equal(first.Router.PublicKey, second.Router.PublicKey);
        Assert.Equal(first.Hotspots.Select(h => h.PublicKey), second.Hotspots.Select(h => h.PublicKey));
    }
}
