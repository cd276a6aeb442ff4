using WirelessNet.Offload.Records;
using WirelessNet.Offload.Signing;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Tests;

public sealed class TransferValidationTests : IDisposable
{
    private readonly OffloadFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Well_formed_request_is_accepted_with_its_bytes_and_hex()
    {
        var result = _fixture.Validate(_fixture.Request(_fixture.Event("e1", upload: 1_000, download: 2_000), rewardable: 2_500));

        Assert.True(result.IsAccepted, result.Message);
        var transfer = result.Transfer!;
        Assert.Equal((1_000L, 2_000L, 2_500L), (transfer.UploadBytes, transfer.DownloadBytes, transfer.RewardableBytes));
        Assert.Equal(8, transfer.Hex.Resolution);
        Assert.True(transfer.OpensSession);
    }

    [Fact]
    public void Unknown_carrier_is_rejected() =>
        AssertRejected(TransferRejectionReason.UnknownCarrier, _fixture.Request(_fixture.Event("e1"), carrierId: "nobody"));

    [Fact]
    public void Router_not_registered_for_the_carrier_is_rejected() =>
        AssertRejected(TransferRejectionReason.RouterNotRegistered, _fixture.Request(_fixture.Event("e1"), router: _fixture.OtherRouter));

    [Fact]
    public void Envelope_altered_after_router_signed_is_rejected()
    {
        var tampered = _fixture.Request(_fixture.Event("e1")) with { RewardableBytes = 1 };
        AssertRejected(TransferRejectionReason.InvalidRouterSignature, tampered);
    }

    [Fact]
    public void Event_altered_after_hotspot_signed_is_rejected()
    {
        // Re-signed by the router, so only the hotspot's signature is wrong.
        var request = _fixture.Request(_fixture.Event("e1"));
        var tamperedEvent = request.Event with { DownloadBytes = request.Event.DownloadBytes + 1 };
        var resigned = RecordSigner.SignSessionRequest(request with { Event = tamperedEvent }, _fixture.Router);
        AssertRejected(TransferRejectionReason.InvalidHotspotSignature, resigned);
    }

    [Fact]
    public void Unknown_hotspot_is_rejected()
    {
        using var stranger = OffloadFixture.NewKey();
        _fixture.Hotspots.Add(stranger);
        AssertRejected(TransferRejectionReason.UnknownHotspot, _fixture.Request(_fixture.Event("e1", hotspot: _fixture.Hotspots.Count - 1)));
        _fixture.Hotspots.Remove(stranger);
    }

    [Fact]
    public void Banned_hotspot_is_rejected()
    {
        _fixture.Directory.Upsert(new HotspotRegistration(_fixture.Hotspots[0].PublicKey, Banned: true, OffloadFixture.AssertedLocation(0)));
        AssertRejected(TransferRejectionReason.HotspotBanned, _fixture.Request(_fixture.Event("e1")));
    }

    [Fact]
    public void Technology_outside_the_contract_is_rejected_and_eutran_is_allowed_by_default()
    {
        AssertRejected(TransferRejectionReason.TechnologyNotAllowed, _fixture.Request(_fixture.Event("e1", technology: RadioAccessTechnology.Wlan)));
        Assert.True(_fixture.Validate(_fixture.Request(_fixture.Event("e2", technology: RadioAccessTechnology.Eutran))).IsAccepted);
    }

    [Fact]
    public void Negative_byte_count_is_rejected() =>
        AssertRejected(TransferRejectionReason.NegativeByteCount, _fixture.Request(_fixture.Event("e1", upload: -1), rewardable: 0));

    [Fact]
    public void Byte_count_above_the_configured_maximum_is_rejected() =>
        AssertRejected(TransferRejectionReason.ByteCountTooLarge, _fixture.Request(_fixture.Event("e1", download: 10_000_000_001), rewardable: 0));

    [Fact]
    public void Rewardable_above_upload_plus_download_is_rejected()
    {
        AssertRejected(TransferRejectionReason.RewardableExceedsTransferred, _fixture.Request(_fixture.Event("e1", 1_000, 2_000), rewardable: 3_001));
        Assert.True(_fixture.Validate(_fixture.Request(_fixture.Event("e2", 1_000, 2_000), rewardable: 3_000)).IsAccepted);
    }

    [Fact]
    public void Timestamp_beyond_the_future_tolerance_is_rejected()
    {
        var tolerance = _fixture.Options.FutureTolerance;
        AssertRejected(TransferRejectionReason.TimestampInFuture, _fixture.Request(_fixture.Event("e1", at: OffloadFixture.Now + tolerance + TimeSpan.FromSeconds(1))));
        Assert.True(_fixture.Validate(_fixture.Request(_fixture.Event("e2", at: OffloadFixture.Now + tolerance))).IsAccepted);
    }

    [Fact]
    public void Timestamp_older_than_the_carriers_late_limit_is_rejected()
    {
        var limit = CarrierContract.DefaultLateRecordLimit;
        AssertRejected(TransferRejectionReason.TimestampTooOld, _fixture.Request(_fixture.Event("e1", at: OffloadFixture.Now - limit - TimeSpan.FromSeconds(1))));
        Assert.True(_fixture.Validate(_fixture.Request(_fixture.Event("e2", at: OffloadFixture.Now - limit))).IsAccepted);
    }

    [Fact]
    public void Duplicate_event_id_from_the_same_carrier_is_rejected_for_the_retention_period()
    {
        Assert.True(_fixture.Validate(_fixture.Request(_fixture.Event("e1"))).IsAccepted);
        AssertRejected(TransferRejectionReason.DuplicateEvent, _fixture.Request(_fixture.Event("e1", upload: 5)));
        // Still remembered just before the retention ends (record time + retention)…
        var nearEnd = OffloadFixture.Now + _fixture.Deduplication.Retention - TimeSpan.FromSeconds(1);
        Assert.False(_fixture.Deduplication.TryClaim(OffloadFixture.CarrierId, "e1", OffloadFixture.Now, nearEnd));
        // …and the same id from another carrier is a different event.
        Assert.True(_fixture.Deduplication.TryClaim("carrier-b", "e1", OffloadFixture.Now, OffloadFixture.Now));
    }

    [Fact]
    public void Deduplication_claims_expire_after_the_retention_period()
    {
        var index = new InMemoryEventDeduplicationIndex(TimeSpan.FromDays(1));
        Assert.True(index.TryClaim("c", "e1", OffloadFixture.Now, OffloadFixture.Now));
        Assert.False(index.TryClaim("c", "e1", OffloadFixture.Now, OffloadFixture.Now.AddHours(23)));
        Assert.True(index.TryClaim("c", "e2", OffloadFixture.Now, OffloadFixture.Now.AddDays(1))); // sweeps e1
        Assert.Equal(1, index.Count);
        Assert.True(index.TryClaim("c", "e1", OffloadFixture.Now, OffloadFixture.Now.AddDays(1)));
    }

    [Fact]
    public void Rejected_record_does_not_consume_its_event_id()
    {
        AssertRejected(TransferRejectionReason.RewardableExceedsTransferred, _fixture.Request(_fixture.Event("e1", 1, 1), rewardable: 3));
        Assert.True(_fixture.Validate(_fixture.Request(_fixture.Event("e1", 1, 1), rewardable: 2)).IsAccepted);
    }

    [Fact]
    public void Accounting_record_without_session_id_is_malformed()
    {
        var interim = _fixture.Event("e1") with { AccountingKind = AccountingRecordKind.Interim };
        AssertRejected(TransferRejectionReason.MalformedAccountingRecord, _fixture.Request(interim));
    }

    [Fact]
    public void Empty_event_id_is_rejected() =>
        AssertRejected(TransferRejectionReason.MissingIdentifier, _fixture.Request(_fixture.Event(string.Empty)));

    [Fact]
    public void Cancelled_reward_is_metered_but_not_rewardable()
    {
        var result = _fixture.Validate(_fixture.Request(_fixture.Event("e1", 1_000, 2_000), rewardable: 3_000, rewardCancelled: true));
        Assert.True(result.IsAccepted);
        Assert.Equal(0, result.Transfer!.RewardableBytes);
        Assert.Equal(3_000, result.Transfer.UploadBytes + result.Transfer.DownloadBytes);
        Assert.False(result.Transfer.IsBilled);
    }

    private void AssertRejected(TransferRejectionReason expected, DataTransferSessionRequest request)
    {
        var result = _fixture.Validate(request);
        Assert.False(result.IsAccepted);
        Assert.Equal(expected, result.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }
}
