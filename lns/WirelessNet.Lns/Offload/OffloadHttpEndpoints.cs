using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Api;
using WirelessNet.Offload.Heartbeats;
using WirelessNet.Offload.Metering;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Settlement;
using WirelessNet.Proto.Offload;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// HTTP side of carrier offload under <c>/api/offload</c> (docs/offload.md, "HTTP API"): JSON batch ingest (records
/// are signed, so no API key), operator configuration (admin key), and the partner API, where a carrier's own key
/// sees only that carrier: a request naming another carrier answers 404, exactly as for a carrier that does not exist.
/// </summary>
internal static class OffloadHttpEndpoints
{
    private const long MaxIngestBodyBytes = 16 * 1024 * 1024;
    private const long MaxAdminBodyBytes = 64 * 1024;
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/offload");

        api.MapPost("/sessions", async ctx =>
        {
            var ingest = ctx.RequestServices.GetRequiredService<OffloadIngest>();
            await IngestAsync(ctx, data_transfer_batch_req_v1.Parser, async (batch, ct) => await ingest.SubmitSessionsAsync(batch, null, "http", ct).ConfigureAwait(false)).ConfigureAwait(false);
        });
        api.MapPost("/heartbeats", async ctx =>
        {
            var ingest = ctx.RequestServices.GetRequiredService<OffloadIngest>();
            await IngestAsync(ctx, heartbeat_batch_req_v1.Parser, async (batch, ct) => await ingest.SubmitHeartbeatsAsync(batch, null, ct).ConfigureAwait(false)).ConfigureAwait(false);
        });

        api.MapGet("/statement-key", (OffloadSettlement settlement) => Results.Json(new { address = settlement.ServerKey.ToAddress() }, Json));

        // Operator configuration (admin key).
        api.MapGet("/carriers", ctx => Run(ctx, adminOnly: true, async (c, s, ct) => Results.Json(await s.GetCarriersAsync(ct).ConfigureAwait(false), Json)));
        api.MapPut("/carriers/{carrierId}", ctx => Run(ctx, adminOnly: true, async (c, s, ct) =>
        {
            var carrierId = CarrierIdFromRoute(ctx);
            var body = await BodyAsync<CarrierRequest>(ctx, ct).ConfigureAwait(false);
            var keys = body.RouterKeys ?? [];
            if (keys.Count == 0 || keys.Any(k => !HeliumPublicKey.TryParseAddress(k, out _)))
            {
                throw ApiException.Invalid("routerKeys must list one or more Helium addresses");
            }

            var technologies = (body.AllowedTechnologies ?? ["Eutran"]).Select(t => Enum.TryParse<RadioAccessTechnology>(t, true, out var rat) && Enum.IsDefined(rat)
                ? rat
                : throw ApiException.Invalid($"unknown radio access technology '{t}'")).Distinct().ToList();
            var late = body.LateRecordLimit ?? TimeSpan.FromDays(3);
            if (late <= TimeSpan.Zero || body.HeliumCarrierId is < 0 or > 10)
            {
                throw ApiException.Invalid("lateRecordLimit must be positive and heliumCarrierId 0-10");
            }

            var settings = new CarrierSettings(carrierId, keys, technologies, late, body.HeliumCarrierId ?? 0);
            await s.PutCarrierAsync(settings, ct).ConfigureAwait(false);
            await Directory(ctx).ReloadAsync(ct).ConfigureAwait(false);
            return Results.Json(settings, Json);
        }));
        api.MapPost("/carriers/{carrierId}/partner-keys", ctx => Run(ctx, adminOnly: true, async (c, s, ct) =>
        {
            var carrierId = KnownCarrier(ctx, CarrierIdFromRoute(ctx));
            var key = ApiKeys.Generate(out var keyId);
            await s.PutPartnerKeyAsync(new PartnerKeyRecord(keyId, carrierId, ApiKeys.Hash(key), DateTimeOffset.UtcNow), ct).ConfigureAwait(false);
            return Results.Json(new { keyId, carrierId, key }, Json, statusCode: StatusCodes.Status201Created);
        }));
        api.MapPut("/hotspots/{address}", ctx => Run(ctx, adminOnly: true, async (c, s, ct) =>
        {
            var address = ctx.Request.RouteValues["address"] as string;
            if (!HeliumPublicKey.TryParseAddress(address, out _))
            {
                throw ApiException.Invalid("the path must name a hotspot's Helium address");
            }

            var body = await BodyAsync<HotspotRequest>(ctx, ct).ConfigureAwait(false);
            if ((body.Latitude is null) != (body.Longitude is null) || body.Latitude is < -90 or > 90 || body.Longitude is < -180 or > 180)
            {
                throw ApiException.Invalid("latitude and longitude go together and must be in range");
            }

            var settings = new HotspotSettings(address!, body.Banned, body.Latitude, body.Longitude);
            await s.PutHotspotAsync(settings, ct).ConfigureAwait(false);
            await Directory(ctx).ReloadAsync(ct).ConfigureAwait(false);
            return Results.Json(settings, Json);
        }));
        api.MapPost("/carriers/{carrierId}/rate-cards", ctx => Run(ctx, adminOnly: true, async (c, s, ct) =>
        {
            var carrierId = KnownCarrier(ctx, CarrierIdFromRoute(ctx));
            var body = await BodyAsync<RateCardRequest>(ctx, ct).ConfigureAwait(false);
            var card = new RateCard(carrierId, body.EffectiveFrom, body.PricePerGigabyte, body.Currency ?? string.Empty, body.OperatorRevenueShare, body.FloorMultiplier, body.CeilingMultiplier);
            try
            {
                card.Validate();
            }
            catch (ArgumentException e)
            {
                throw ApiException.Invalid(e.Message);
            }

            await s.PutRateCardAsync(carrierId, card.EffectiveFrom, JsonSerializer.Serialize(card, OffloadDirectory.Json), ct).ConfigureAwait(false);
            await Directory(ctx).ReloadAsync(ct).ConfigureAwait(false);
            return Results.Json(card, Json, statusCode: StatusCodes.Status201Created);
        }));
        api.MapPost("/carriers/{carrierId}/close", ctx => Run(ctx, adminOnly: true, async (c, s, ct) =>
        {
            var carrierId = KnownCarrier(ctx, CarrierIdFromRoute(ctx));
            var body = await BodyAsync<CloseRequest>(ctx, ct).ConfigureAwait(false);
            var settlement = ctx.RequestServices.GetRequiredService<OffloadSettlement>();
            var now = ctx.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            try
            {
                var issued = await settlement.CloseAsync(carrierId, body.PeriodStart, now, ct).ConfigureAwait(false);
                return Results.Json(issued.Select(i => StatementView.From(i.Statement)).ToList(), Json);
            }
            catch (SettlementRefusedException e)
            {
                throw new ApiException(ApiErrorKind.FailedPrecondition, e.Message);
            }
        }));

        // Partner API (the carrier's own key, or the admin key).
        api.MapGet("/carriers/{carrierId}/statements", ctx => Run(ctx, adminOnly: false, async (carrierId, s, ct) =>
        {
            var from = Math.Max(1, QueryInt(ctx, "from") ?? 1);
            var statements = await s.GetStatementsAsync(carrierId, from, Math.Clamp(QueryInt(ctx, "limit") ?? 1000, 1, 1000), ct).ConfigureAwait(false);
            return Results.Json(statements.Select(st => JsonSerializer.Deserialize<StatementView>(st.Json, OffloadDirectory.Json)).ToList(), Json);
        }));
        api.MapGet("/carriers/{carrierId}/statements/{sequence:long}", ctx => Run(ctx, adminOnly: false, async (carrierId, s, ct) =>
        {
            var sequence = long.Parse((string)ctx.Request.RouteValues["sequence"]!, CultureInfo.InvariantCulture);
            var stored = await s.GetStatementAsync(carrierId, sequence, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound("statement");
            var view = JsonSerializer.Deserialize<StatementView>(stored.Json, OffloadDirectory.Json)!;
            if (Query(ctx, "format") == "csv")
            {
                return Results.Text(StatementCsv(view), "text/csv; charset=utf-8");
            }

            return Results.Json(
                new
                {
                    statement = view,
                    canonicalBytes = Convert.ToBase64String(stored.CanonicalBytes),
                    signature = Convert.ToBase64String(stored.Signature),
                    signerKey = stored.SignerKey,
                    verified = StatementSigning.Verify(stored.CanonicalBytes, stored.Signature, HeliumPublicKey.ParseAddress(stored.SignerKey)),
                },
                Json);
        }));
        api.MapPost("/carriers/{carrierId}/statements/{sequence:long}/verify", ctx => Run(ctx, adminOnly: false, async (carrierId, s, ct) =>
        {
            var sequence = long.Parse((string)ctx.Request.RouteValues["sequence"]!, CultureInfo.InvariantCulture);
            var body = await BodyAsync<VerifyRequest>(ctx, ct).ConfigureAwait(false);
            byte[] bytes, signature;
            try
            {
                bytes = Convert.FromBase64String(body.CanonicalBytes ?? string.Empty);
                signature = Convert.FromBase64String(body.Signature ?? string.Empty);
            }
            catch (FormatException)
            {
                throw ApiException.Invalid("canonicalBytes and signature must be base64");
            }

            var check = await ctx.RequestServices.GetRequiredService<OffloadSettlement>().VerifyAsync(carrierId, sequence, bytes, signature, ct).ConfigureAwait(false)
                ?? throw ApiException.NotFound("statement");
            return Results.Json(new { valid = check.Valid, signatureValid = check.SignatureValid, matchesIssued = check.MatchesIssued }, Json);
        }));
        api.MapGet("/carriers/{carrierId}/hotspots/{hotspot}/speedtests", ctx => Run(ctx, adminOnly: false, async (carrierId, s, ct) =>
        {
            // Only the carrier's own hotspots (that carried its traffic); any other answers as unknown.
            if (!HeliumPublicKey.TryParseAddress((string)ctx.Request.RouteValues["hotspot"]!, out var hotspot, out _)
                || !await s.CarrierUsedHotspotAsync(carrierId, hotspot, ct).ConfigureAwait(false))
            {
                throw ApiException.NotFound("hotspot");
            }

            var limit = Math.Clamp(QueryInt(ctx, "limit") ?? 100, 1, 1000);
            var tests = await s.GetSpeedtestsAsync(hotspot, DateTimeOffset.MaxValue, limit, ct).ConfigureAwait(false);
            return Results.Json(
                new
                {
                    hotspot = hotspot.ToAddress(),
                    multiplier = SpeedtestTiers.Multiplier(tests),
                    speedtests = tests.Select(t => new
                    {
                        timestamp = DateTimeOffset.FromUnixTimeSeconds(t.TimestampUnixSeconds),
                        uploadBytesPerSecond = t.UploadBytesPerSecond,
                        downloadBytesPerSecond = t.DownloadBytesPerSecond,
                        latencyMs = t.LatencyMs,
                    }).ToList(),
                },
                Json);
        }));
        api.MapGet("/carriers/{carrierId}/usage", ctx => Run(ctx, adminOnly: false, async (carrierId, s, ct) =>
        {
            var granularity = Query(ctx, "granularity") == "hour" ? MeterGranularity.Hour : MeterGranularity.Day;
            if (!DateTimeOffset.TryParse(Query(ctx, "period"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var period))
            {
                throw ApiException.Invalid("period must be an ISO 8601 time inside the hour or day wanted");
            }

            var scope = Query(ctx, "scope") switch
            {
                null or "carrier" => UsageScope.Carrier,
                "hotspot" => UsageScope.Hotspot,
                "hex" => UsageScope.Hex,
                "payer" => UsageScope.HotspotPayer,
                _ => throw ApiException.Invalid("scope is carrier, hotspot, hex or payer"),
            };
            var start = UsageMeter.PeriodStart(granularity, period);
            var bytesPerDc = ctx.RequestServices.GetRequiredService<IOptions<OffloadOptions>>().Value.BytesPerDataCredit;
            var buckets = await s.ReadUsageAsync(granularity, start, carrierId, scope, ct).ConfigureAwait(false);
            return Results.Json(
                buckets.Select(b => new
                {
                    periodStart = start,
                    hotspot = b.Key.Hotspot?.ToAddress(),
                    payer = b.Key.Payer?.ToAddress(),
                    hex = b.Key.Hex.IsNull ? null : b.Key.Hex.ToString(),
                    records = b.Value.Records,
                    sessions = b.Value.Sessions,
                    uploadBytes = b.Value.UploadBytes,
                    downloadBytes = b.Value.DownloadBytes,
                    rewardableBytes = b.Value.RewardableBytes,
                    dataCredits = scope == UsageScope.HotspotPayer ? DataCredits.ForBucket(b.Value.BilledRecords, b.Value.RewardableBytes, bytesPerDc) : (long?)null,
                }).ToList(),
                Json);
        }));
        api.MapGet("/carriers/{carrierId}/records", ctx => Run(ctx, adminOnly: false, async (carrierId, s, ct) =>
        {
            var offset = Math.Max(0, QueryInt(ctx, "offset") ?? 0);
            var limit = Math.Clamp(QueryInt(ctx, "limit") ?? 1000, 1, 10_000);
            var records = await s.ReadRecordsAsync(carrierId, offset, limit, ct).ConfigureAwait(false);
            var rows = records.Select(r => new RecordView(
                r.EventId, r.HotspotKey.ToAddress(), r.Payer.ToAddress(), r.Hex.ToString(), r.Timestamp, r.RadioAccessTechnology.ToString(),
                r.UploadBytes, r.DownloadBytes, r.RewardableBytes, r.Sampling, r.RewardCancelled, r.AccountingSessionId)).ToList();
            if (Query(ctx, "format") == "csv")
            {
                return Results.Text(RecordsCsv(rows), "text/csv; charset=utf-8");
            }

            return Results.Json(new { offset, records = rows, nextOffset = rows.Count == limit ? offset + limit : (int?)null }, Json);
        }));
        api.MapGet("/carriers/{carrierId}/rejections", ctx => Run(ctx, adminOnly: false, async (carrierId, s, ct) =>
        {
            var offset = Math.Max(0, QueryInt(ctx, "offset") ?? 0);
            var limit = Math.Clamp(QueryInt(ctx, "limit") ?? 100, 1, 1000);
            return Results.Json(await s.GetRejectionsAsync(carrierId, offset, limit, ct).ConfigureAwait(false), Json);
        }));
        api.MapPost("/carriers/{carrierId}/disputes", ctx => Run(ctx, adminOnly: false, async (carrierId, s, ct) =>
        {
            var body = await BodyAsync<DisputeRequest>(ctx, ct).ConfigureAwait(false);
            if (body.EventIds is not { Count: > 0 and <= 10_000 })
            {
                throw ApiException.Invalid("eventIds must list 1-10000 event ids");
            }

            var settlement = ctx.RequestServices.GetRequiredService<OffloadSettlement>();
            var now = ctx.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            try
            {
                return Results.Json(await settlement.DisputeAsync(carrierId, body.EventIds, now, ct).ConfigureAwait(false), Json);
            }
            catch (SettlementRefusedException e)
            {
                throw new ApiException(ApiErrorKind.FailedPrecondition, e.Message);
            }
        }));
    }

    private static async Task IngestAsync<T>(HttpContext ctx, MessageParser<T> parser, Func<T, CancellationToken, Task<IMessage>> submit)
        where T : IMessage<T>, new()
    {
        var ct = ctx.RequestAborted;
        IResult result;
        try
        {
            if (ctx.Request.ContentLength > MaxIngestBodyBytes)
            {
                throw ApiException.Invalid($"bodies are limited to {MaxIngestBodyBytes} bytes");
            }

            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
            if (buffer.Length > MaxIngestBodyBytes)
            {
                throw ApiException.Invalid($"bodies are limited to {MaxIngestBodyBytes} bytes");
            }

            var bytes = buffer.ToArray();
            var protobuf = ctx.Request.ContentType?.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase) == true;
            T batch;
            try
            {
                batch = protobuf ? parser.ParseFrom(bytes) : Parser.Parse<T>(Encoding.UTF8.GetString(bytes));
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
            {
                throw ApiException.Invalid("malformed body: " + e.Message);
            }

            var response = await submit(batch, ct).ConfigureAwait(false);
            result = protobuf
                ? Results.Bytes(response.ToByteArray(), "application/x-protobuf")
                : Results.Text(JsonFormatter.Default.Format(response), "application/json");
        }
        catch (ApiException e)
        {
            result = Results.Json(new { error = e.Message }, Json, statusCode: e.HttpStatus);
        }
        catch (OffloadRequestException e)
        {
            result = Results.Json(new { error = e.Message }, Json, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store failed; nothing in the batch was acknowledged.
            result = Results.Json(new { error = "offload store unavailable; retry" }, Json, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        await result.ExecuteAsync(ctx).ConfigureAwait(false);
    }

    /// <summary>Authenticates, scopes to the carrier in the route (partners: their own only, else 404), runs.</summary>
    private static async Task Run(HttpContext ctx, bool adminOnly, Func<string, IOffloadStore, CancellationToken, Task<IResult>> operation)
    {
        var ct = ctx.RequestAborted;
        IResult result;
        try
        {
            var caller = await AuthenticateAsync(ctx, ct).ConfigureAwait(false);
            if (caller is null)
            {
                ctx.Response.Headers.WWWAuthenticate = "Bearer";
                throw new ApiException(ApiErrorKind.Unauthenticated, "missing or invalid API key");
            }

            if (adminOnly && caller.CarrierId is not null)
            {
                throw new ApiException(ApiErrorKind.PermissionDenied, "this operation needs the admin key");
            }

            var routeCarrier = ctx.Request.RouteValues["carrierId"] as string ?? string.Empty;
            if (!adminOnly && caller.CarrierId is { } own && !string.Equals(own, routeCarrier, StringComparison.Ordinal))
            {
                // Same answer as for a carrier that does not exist: a partner cannot even learn another carrier's id.
                throw ApiException.NotFound("carrier");
            }

            if (!adminOnly && !Directory(ctx).TryGetCarrier(routeCarrier, out _))
            {
                throw ApiException.NotFound("carrier");
            }

            result = await operation(routeCarrier, ctx.RequestServices.GetRequiredService<IOffloadStore>(), ct).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            result = Results.Json(new { error = e.Message }, Json, statusCode: e.HttpStatus);
        }

        await result.ExecuteAsync(ctx).ConfigureAwait(false);
    }

    private static Task<OffloadCaller?> AuthenticateAsync(HttpContext ctx, CancellationToken ct) =>
        OffloadCaller.AuthenticateAsync(ctx.Request.Headers.Authorization.ToString(), ctx.RequestServices, ct);

    private static OffloadDirectory Directory(HttpContext ctx) => ctx.RequestServices.GetRequiredService<OffloadDirectory>();

    private static string CarrierIdFromRoute(HttpContext ctx)
    {
        var id = ctx.Request.RouteValues["carrierId"] as string ?? string.Empty;
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw ApiException.Invalid("a carrier id is 1-64 letters, digits, '-', '_' or '.'");
        }

        return id;
    }

    private static string KnownCarrier(HttpContext ctx, string carrierId) =>
        Directory(ctx).TryGetCarrier(carrierId, out _) ? carrierId : throw ApiException.NotFound("carrier");

    private static async Task<T> BodyAsync<T>(HttpContext ctx, CancellationToken ct)
    {
        if (ctx.Request.ContentLength > MaxAdminBodyBytes)
        {
            throw ApiException.Invalid("body too large");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(ctx.Request.Body, Json, ct).ConfigureAwait(false)
                ?? throw ApiException.Invalid("a JSON body is required");
        }
        catch (JsonException e)
        {
            throw ApiException.Invalid("malformed JSON: " + e.Message);
        }
    }

    private static string? Query(HttpContext ctx, string name) =>
        ctx.Request.Query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    private static int? QueryInt(HttpContext ctx, string name) =>
        int.TryParse(Query(ctx, name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string StatementCsv(StatementView view)
    {
        var csv = new StringBuilder("hotspot,hex,records,upload_bytes,download_bytes,rewardable_bytes,data_credits,rate_per_gb,amount,operator_share,adjustment,original_period_start,original_sequence\n");
        foreach (var l in view.Lines)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{l.Hotspot},{l.Hex},{l.Records},{l.UploadBytes},{l.DownloadBytes},{l.RewardableBytes},{l.DataCredits},{l.RatePerGigabyte},{l.Amount},{l.OperatorShare},{l.Adjustment},{l.OriginalPeriodStart:O},{l.OriginalSequence}\n");
        }

        var t = view.Totals;
        csv.Append(CultureInfo.InvariantCulture, $"TOTAL,,{t.Records},{t.UploadBytes},{t.DownloadBytes},{t.RewardableBytes},{t.DataCredits},,{t.Amount},{t.OperatorShare},,,\n");
        return csv.ToString();
    }

    private static string RecordsCsv(IEnumerable<RecordView> rows)
    {
        var csv = new StringBuilder("event_id,hotspot,payer,hex,timestamp,rat,upload_bytes,download_bytes,rewardable_bytes,sampling,reward_cancelled,accounting_session_id\n");
        foreach (var r in rows)
        {
            // event ids and session ids come from carriers: quote them so a comma cannot shift columns.
            csv.Append(CultureInfo.InvariantCulture, $"\"{r.EventId.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{r.Hotspot},{r.Payer},{r.Hex},{r.Timestamp:O},{r.Rat},{r.UploadBytes},{r.DownloadBytes},{r.RewardableBytes},{r.Sampling},{r.RewardCancelled},\"{(r.AccountingSessionId ?? string.Empty).Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
        }

        return csv.ToString();
    }

    private sealed record RecordView(
        string EventId, string Hotspot, string Payer, string Hex, DateTimeOffset Timestamp, string Rat, long UploadBytes, long DownloadBytes, long RewardableBytes, bool Sampling, bool RewardCancelled, string? AccountingSessionId);

    private sealed record CarrierRequest(IReadOnlyList<string>? RouterKeys, IReadOnlyList<string>? AllowedTechnologies, TimeSpan? LateRecordLimit, int? HeliumCarrierId);

    private sealed record HotspotRequest(bool Banned, double? Latitude, double? Longitude);

    private sealed record RateCardRequest(DateTimeOffset EffectiveFrom, decimal PricePerGigabyte, string? Currency, decimal OperatorRevenueShare, decimal? FloorMultiplier, decimal? CeilingMultiplier);

    private sealed record CloseRequest(DateTimeOffset PeriodStart);

    private sealed record DisputeRequest(IReadOnlyList<string>? EventIds);

    private sealed record VerifyRequest(string? CanonicalBytes, string? Signature);
}
