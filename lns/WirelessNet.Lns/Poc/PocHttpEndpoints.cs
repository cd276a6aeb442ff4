using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Api;
using WirelessNet.Poc.Challenges;

namespace WirelessNet.Lns.Poc;

/// <summary>The PoC HTTP API (docs/poc.md, "Server"). Reads are public like Helium's; changes need the admin key.</summary>
internal static class PocHttpEndpoints
{
    private const int MaxEntropyValues = 1440;
    private const string ProtobufContentType = "application/x-protobuf";
    private const int MaxRoundsPerPage = 10_000;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var poc = endpoints.MapGroup("/api/poc");

        poc.MapGet("/entropy", async (HttpRequest request, PocEntropySource entropy, IPocStore store, CancellationToken ct) =>
        {
            await entropy.Ready.WaitAsync(ct).ConfigureAwait(false);
            if (request.Query.ContainsKey("from"))
            {
                if (!long.TryParse(request.Query["from"], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                    || !long.TryParse(request.Query.TryGetValue("to", out var t) ? t.ToString() : long.MaxValue.ToString(CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var to))
                {
                    return Error(StatusCodes.Status400BadRequest, "from and to are Unix seconds");
                }

                var values = await store.GetEntropyAsync(from, to, MaxEntropyValues, ct).ConfigureAwait(false);
                return Results.Json<IReadOnlyList<PocEntropyResponse>>(values.Select(Entropy).ToList(), PocJson.Default.IReadOnlyListPocEntropyResponse);
            }

            return entropy.TryGetCurrent(out var current)
                ? Results.Json(Entropy(current), PocJson.Default.PocEntropyResponse)
                : Error(StatusCodes.Status503ServiceUnavailable, "no entropy value is valid right now");
        });

        poc.MapGet("/hotspots", async (PocHotspotDirectory directory, PocRewards rewards, TimeProvider time, CancellationToken ct) =>
        {
            var scales = await rewards.ComputeTransmitScalesAsync(time.GetUtcNow(), ct).ConfigureAwait(false);
            var list = new List<PocHotspotResponse>();
            foreach (var participant in (await directory.GetParticipantsAsync(ct).ConfigureAwait(false)).Values.OrderBy(p => p.Address, StringComparer.Ordinal))
            {
                list.Add(await HotspotAsync(participant, directory, scales, ct).ConfigureAwait(false));
            }

            return Results.Json<IReadOnlyList<PocHotspotResponse>>(list, PocJson.Default.IReadOnlyListPocHotspotResponse);
        });

        poc.MapGet("/hotspots/{address}", async (string address, PocHotspotDirectory directory, PocRewards rewards, TimeProvider time, CancellationToken ct) =>
        {
            if (!(await directory.GetParticipantsAsync(ct).ConfigureAwait(false)).TryGetValue(address, out var participant))
            {
                return Error(StatusCodes.Status404NotFound, "not a PoC participant");
            }

            var scales = await rewards.ComputeTransmitScalesAsync(time.GetUtcNow(), ct).ConfigureAwait(false);
            return Results.Json(await HotspotAsync(participant, directory, scales, ct).ConfigureAwait(false), PocJson.Default.PocHotspotResponse);
        });

        poc.MapGet("/challenges", async (HttpRequest request, PocChallenger challenger, IOptions<PocOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            var window = options.Value.ChallengeWindow;
            var index = ChallengeScheduler.WindowIndex(time.GetUtcNow(), window);
            if (request.Query.TryGetValue("window", out var w) && !long.TryParse(w, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out index))
            {
                return Error(StatusCodes.Status400BadRequest, "window is a window index (Unix seconds / window seconds)");
            }

            var start = DateTimeOffset.FromUnixTimeSeconds(index * (long)window.TotalSeconds);
            var schedule = await challenger.ScheduleAsync(start, ct).ConfigureAwait(false);
            return Results.Json<IReadOnlyList<PocChallengeResponse>>(
                schedule.Select(c => new PocChallengeResponse(c.Hotspot.ToAddress(), c.At, index)).ToList(), PocJson.Default.IReadOnlyListPocChallengeResponse);
        });

        poc.MapPost("/challenges/{address}", (HttpContext context, string address, PocChallenger challenger, IOptions<PocOptions> options, TimeProvider time) => AdminAsync(context, async ct =>
        {
            if (!HeliumPublicKey.TryParseAddress(address, out var key))
            {
                return Error(StatusCodes.Status400BadRequest, "not a Helium address");
            }

            var id = await challenger.IssueAsync(key, ct).ConfigureAwait(false);
            return id is null
                ? Error(StatusCodes.Status409Conflict, "the hotspot cannot be challenged now (not an asserted participant, no entropy, or its gateway is not reachable)")
                : Results.Json(new PocChallengeResponse(address, time.GetUtcNow(), ChallengeScheduler.WindowIndex(time.GetUtcNow(), options.Value.ChallengeWindow)), PocJson.Default.PocChallengeResponse, statusCode: StatusCodes.Status202Accepted);
        }));

        poc.MapGet("/epochs/{date}/rounds", async (string date, HttpRequest request, IPocStore store, CancellationToken ct) =>
        {
            if (!TryEpoch(date, out var epoch))
            {
                return Error(StatusCodes.Status400BadRequest, "date is yyyy-MM-dd (UTC)");
            }

            var limit = 1000;
            if (request.Query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxRoundsPerPage))
            {
                return Error(StatusCodes.Status400BadRequest, $"limit is 1–{MaxRoundsPerPage}");
            }

            // Stored JSON written out as is, ordered by round id: a page continues after the last id of the previous one.
            var after = request.Query.TryGetValue("after", out var a) ? a.ToString() : string.Empty;
            var records = await store.GetEpochRoundsAsync(epoch, ct).ConfigureAwait(false);
            var ordered = records.Select(r => (Record: r, Id: PocRoundRecord.FromJson(r).Id))
                .Where(r => string.CompareOrdinal(r.Id, after) > 0)
                .OrderBy(r => r.Id, StringComparer.Ordinal)
                .Take(limit);
            var body = new MemoryStream();
            body.WriteByte((byte)'[');
            var first = true;
            foreach (var (record, _) in ordered)
            {
                if (!first)
                {
                    body.WriteByte((byte)',');
                }

                first = false;
                body.Write(record);
            }

            body.WriteByte((byte)']');
            return Results.Bytes(body.ToArray(), "application/json");
        });

        poc.MapGet("/rewards/{date}", async (string date, HttpRequest request, PocRewards rewards, CancellationToken ct) =>
        {
            if (!TryEpoch(date, out var epoch))
            {
                return Error(StatusCodes.Status400BadRequest, "date is yyyy-MM-dd (UTC)");
            }

            var (json, final) = await rewards.GetManifestAsync(epoch, ct).ConfigureAwait(false);
            var protobuf = request.Query["format"] == "protobuf" || request.Headers.Accept.ToString().Contains(ProtobufContentType, StringComparison.OrdinalIgnoreCase);
            return protobuf
                ? new ManifestResult(PocManifestProtobuf.FromCanonicalJson(json).ToByteArray(), ProtobufContentType, final)
                : new ManifestResult(json, "application/json", final);
        });

        poc.MapGet("/denylist", (HttpContext context, IPocStore store) => AdminAsync(context, async ct =>
        {
            var (keys, edges) = await store.GetDenylistAsync(ct).ConfigureAwait(false);
            return Results.Json(new PocDenylistResponse([.. keys.Order(StringComparer.Ordinal)], [.. edges.Select(e => e.Beaconer + ">" + e.Witness).Order(StringComparer.Ordinal)]), PocJson.Default.PocDenylistResponse);
        }));
        poc.MapPut("/denylist/keys/{address}", (HttpContext context, string address, IPocStore store) => DenyKeyAsync(context, store, address, true));
        poc.MapDelete("/denylist/keys/{address}", (HttpContext context, string address, IPocStore store) => DenyKeyAsync(context, store, address, false));
        poc.MapPut("/denylist/edges/{beaconer}/{witness}", (HttpContext context, string beaconer, string witness, IPocStore store) => DenyEdgeAsync(context, store, beaconer, witness, true));
        poc.MapDelete("/denylist/edges/{beaconer}/{witness}", (HttpContext context, string beaconer, string witness, IPocStore store) => DenyEdgeAsync(context, store, beaconer, witness, false));
    }

    private static Task<IResult> DenyKeyAsync(HttpContext context, IPocStore store, string address, bool denied) => AdminAsync(context, async ct =>
    {
        if (!HeliumPublicKey.TryParseAddress(address, out _))
        {
            return Error(StatusCodes.Status400BadRequest, "not a Helium address");
        }

        await store.SetDeniedKeyAsync(address, denied, ct).ConfigureAwait(false);
        return Results.NoContent();
    });

    private static Task<IResult> DenyEdgeAsync(HttpContext context, IPocStore store, string beaconer, string witness, bool denied) => AdminAsync(context, async ct =>
    {
        if (!HeliumPublicKey.TryParseAddress(beaconer, out _) || !HeliumPublicKey.TryParseAddress(witness, out _))
        {
            return Error(StatusCodes.Status400BadRequest, "not a Helium address");
        }

        await store.SetDeniedEdgeAsync(beaconer, witness, denied, ct).ConfigureAwait(false);
        return Results.NoContent();
    });

    private static async Task<IResult> AdminAsync(HttpContext context, Func<CancellationToken, Task<IResult>> operation)
    {
        var authenticator = context.RequestServices.GetService<ApiKeyAuthenticator>();
        var caller = authenticator is null
            ? null
            : await authenticator.AuthenticateAsync(context.Request.Headers.Authorization.ToString(), context.RequestAborted).ConfigureAwait(false);
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Error(StatusCodes.Status401Unauthorized, "missing or invalid API key");
        }

        return caller.IsAdmin ? await operation(context.RequestAborted).ConfigureAwait(false) : Error(StatusCodes.Status403Forbidden, "this operation needs the admin key");
    }

    private static async Task<PocHotspotResponse> HotspotAsync(PocParticipant participant, PocHotspotDirectory directory, Dictionary<string, decimal> scales, CancellationToken ct)
    {
        string? location = null;
        if (HeliumPublicKey.TryParseAddress(participant.Address, out var key) && await directory.GetAsync(key, ct).ConfigureAwait(false) is { Hotspot.IsAsserted: true } view)
        {
            location = view.Hotspot.Location.ToString();
        }

        return new PocHotspotResponse(
            participant.Address, participant.GatewayId.ToString(), participant.Transport.ToString(), participant.LastActive, location,
            scales.TryGetValue(participant.Address, out var scale) ? scale : null);
    }

    private static PocEntropyResponse Entropy(WirelessNet.Poc.Entropy.EntropyReport report) => new(Convert.ToBase64String(report.Data), report.Timestamp, report.Version);

    private static bool TryEpoch(string date, out long epoch)
    {
        epoch = 0;
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }

        epoch = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() / PocRoundRecord.EpochMs;
        return true;
    }

    private static IResult Error(int status, string message) => Results.Json(new PocErrorResponse(message), PocJson.Default.PocErrorResponse, statusCode: status);

    /// <summary>The manifest's canonical bytes as they are (re-serializing could change them), marked final or provisional.</summary>
    private sealed class ManifestResult(byte[] body, string contentType, bool final) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = contentType;
            httpContext.Response.Headers["X-Poc-Manifest"] = final ? "final" : "provisional";
            await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
