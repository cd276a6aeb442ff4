using System.Globalization;
using System.Text.Json;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// Stored forms shared by the in-memory and Redis stores: an accepted record as <c>up|down|rewardable|json</c> (the
/// deltas first because the store computes them during the atomic step), and usage bucket names.
/// </summary>
internal static class OffloadRecordCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The record's fields other than its byte counts.</summary>
    public static string Body(AcceptedTransfer transfer) => JsonSerializer.Serialize(
        new StoredBody(
            transfer.EventId,
            transfer.HotspotKey.ToAddress(),
            transfer.Payer.ToAddress(),
            transfer.Hex.Value,
            transfer.Timestamp.ToUnixTimeSeconds(),
            (int)transfer.RadioAccessTechnology,
            transfer.Sampling,
            transfer.RewardCancelled,
            transfer.OpensSession,
            transfer.AccountingSessionId),
        Json);

    public static string Encode(long upload, long download, long rewardable, string body) =>
        string.Create(CultureInfo.InvariantCulture, $"{upload}|{download}|{rewardable}|{body}");

    public static AcceptedTransfer Decode(string carrierId, string stored)
    {
        var first = stored.IndexOf('|', StringComparison.Ordinal);
        var second = stored.IndexOf('|', first + 1);
        var third = stored.IndexOf('|', second + 1);
        var upload = long.Parse(stored.AsSpan(0, first), CultureInfo.InvariantCulture);
        var download = long.Parse(stored.AsSpan(first + 1, second - first - 1), CultureInfo.InvariantCulture);
        var rewardable = long.Parse(stored.AsSpan(second + 1, third - second - 1), CultureInfo.InvariantCulture);
        var body = JsonSerializer.Deserialize<StoredBody>(stored.AsSpan(third + 1), Json)
            ?? throw new InvalidDataException("empty stored offload record");
        return new AcceptedTransfer(
            carrierId,
            body.EventId,
            HeliumPublicKey.ParseAddress(body.Hotspot),
            HeliumPublicKey.ParseAddress(body.Payer),
            new H3Index(body.Hex),
            DateTimeOffset.FromUnixTimeSeconds(body.Timestamp),
            (RadioAccessTechnology)body.Rat,
            upload,
            download,
            rewardable,
            body.Sampling,
            body.Cancelled,
            body.Opens)
        {
            AccountingSessionId = body.Session,
        };
    }

    /// <summary>
    /// The eight buckets a record adds to (hour and day × carrier, hotspot, hex, hotspot-payer), each as the index
    /// name (granularity, period, scope) and the member naming the bucket within it.
    /// </summary>
    public static IEnumerable<(string Index, string Member)> Buckets(AcceptedTransfer transfer)
    {
        foreach (var granularity in (MeterGranularity[])[MeterGranularity.Hour, MeterGranularity.Day])
        {
            var start = UsageMeter.PeriodStart(granularity, transfer.Timestamp);
            var hotspot = transfer.HotspotKey.ToAddress();
            yield return (Index(granularity, start, UsageScope.Carrier), "-");
            yield return (Index(granularity, start, UsageScope.Hotspot), hotspot);
            yield return (Index(granularity, start, UsageScope.Hex), transfer.Hex.ToString());
            yield return (Index(granularity, start, UsageScope.HotspotPayer), $"{hotspot}/{transfer.Payer.ToAddress()}/{transfer.Hex}");
        }
    }

    /// <summary>The settlement tally a record adds to: <c>&lt;hotspot&gt;/&lt;payer&gt;/&lt;hex&gt;</c>.</summary>
    public static string SettlementMember(AcceptedTransfer transfer) =>
        $"{transfer.HotspotKey.ToAddress()}/{transfer.Payer.ToAddress()}/{transfer.Hex}";

    /// <summary>The hotspot, payer and hex a settlement member names.</summary>
    public static (HeliumPublicKey Hotspot, HeliumPublicKey Payer, H3Index Hex) ParseSettlementMember(string member)
    {
        var parts = member.Split('/');
        return (HeliumPublicKey.ParseAddress(parts[0]), HeliumPublicKey.ParseAddress(parts[1]), H3Index.Parse(parts[2]));
    }

    public static string Index(MeterGranularity granularity, DateTimeOffset periodStart, UsageScope scope) =>
        string.Create(CultureInfo.InvariantCulture, $"u:{(int)granularity}:{periodStart.ToUnixTimeSeconds()}:{(int)scope}");

    /// <summary>The bucket key a member of an index names.</summary>
    public static UsageBucketKey BucketKey(MeterGranularity granularity, DateTimeOffset periodStart, string carrierId, UsageScope scope, string member)
    {
        switch (scope)
        {
            case UsageScope.Hotspot:
                return new(granularity, periodStart, carrierId, scope, HeliumPublicKey.ParseAddress(member), null, H3Index.Null);
            case UsageScope.Hex:
                return new(granularity, periodStart, carrierId, scope, null, null, H3Index.Parse(member));
            case UsageScope.HotspotPayer:
                var parts = member.Split('/');
                return new(granularity, periodStart, carrierId, scope, HeliumPublicKey.ParseAddress(parts[0]), HeliumPublicKey.ParseAddress(parts[1]), H3Index.Parse(parts[2]));
            default:
                return new(granularity, periodStart, carrierId, UsageScope.Carrier, null, null, H3Index.Null);
        }
    }

    private sealed record StoredBody(
        string EventId, string Hotspot, string Payer, ulong Hex, long Timestamp, int Rat, bool Sampling, bool Cancelled, bool Opens, string? Session);
}
