using WirelessNet.Offload.Records;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Tests;

public sealed class AccountingSessionTests : IDisposable
{
    private readonly OffloadFixture _fixture = new();
    private int _eventCounter;

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Start_interims_retry_and_stop_become_deltas_counted_once()
    {
        long[] deltas =
        [
            Accept(AccountingRecordKind.Start, 0),
            Accept(AccountingRecordKind.Interim, 100),
            Accept(AccountingRecordKind.Interim, 250),
            Accept(AccountingRecordKind.Interim, 250), // retried interim under a fresh event_id
            Accept(AccountingRecordKind.Stop, 400),
        ];

        Assert.Equal([0, 100, 150, 0, 150], deltas);
        Assert.Equal(400, deltas.Sum());
    }

    [Fact]
    public void Only_the_start_opens_a_session()
    {
        var start = _fixture.Validate(Request(AccountingRecordKind.Start, 0)).Transfer!;
        var interim = _fixture.Validate(Request(AccountingRecordKind.Interim, 10)).Transfer!;
        Assert.True(start.OpensSession);
        Assert.False(interim.OpensSession);
    }

    [Fact]
    public void Out_of_order_interim_that_goes_backwards_is_rejected_and_nothing_is_double_counted()
    {
        var total = Accept(AccountingRecordKind.Start, 0) + Accept(AccountingRecordKind.Interim, 250);

        var stale = _fixture.Validate(Request(AccountingRecordKind.Interim, 100));
        Assert.Equal(TransferRejectionReason.CounterWentBackwards, stale.Reason);

        total += Accept(AccountingRecordKind.Stop, 400);
        Assert.Equal(400, total);
    }

    [Fact]
    public void Interim_seen_before_its_start_counts_from_zero_and_the_late_start_is_rejected()
    {
        Assert.Equal(100, Accept(AccountingRecordKind.Interim, 100));
        Assert.Equal(TransferRejectionReason.CounterWentBackwards, _fixture.Validate(Request(AccountingRecordKind.Start, 0)).Reason);
    }

    [Fact]
    public void More_bytes_after_stop_are_rejected_but_a_retried_stop_adds_zero()
    {
        Accept(AccountingRecordKind.Start, 0);
        Accept(AccountingRecordKind.Stop, 400);
        Assert.Equal(0, Accept(AccountingRecordKind.Stop, 400));
        Assert.Equal(TransferRejectionReason.SessionAlreadyStopped, _fixture.Validate(Request(AccountingRecordKind.Interim, 500)).Reason);
    }

    [Fact]
    public void Retransmission_under_the_same_event_id_is_a_duplicate()
    {
        var request = Request(AccountingRecordKind.Interim, 100);
        Assert.True(_fixture.Validate(request).IsAccepted);
        Assert.Equal(TransferRejectionReason.DuplicateEvent, _fixture.Validate(request).Reason);
    }

    private long Accept(AccountingRecordKind kind, long cumulativeDownload)
    {
        var result = _fixture.Validate(Request(kind, cumulativeDownload));
        Assert.True(result.IsAccepted, result.Message);
        Assert.Equal(result.Transfer!.DownloadBytes, result.Transfer.RewardableBytes);
        return result.Transfer.DownloadBytes;
    }

    private DataTransferSessionRequest Request(AccountingRecordKind kind, long cumulativeDownload)
    {
        var transferEvent = _fixture.Event($"acct-{++_eventCounter}", upload: 0, download: cumulativeDownload) with
        {
            AccountingKind = kind,
            AccountingSessionId = "radius-session-1",
        };
        return _fixture.Request(transferEvent, rewardable: cumulativeDownload);
    }
}
