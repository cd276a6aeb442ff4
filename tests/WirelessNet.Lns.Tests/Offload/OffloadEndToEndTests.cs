using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using MQTTnet;
using MQTTnet.Protocol;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Offload;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Signing;
using WirelessNet.Proto.Helium.PocMobile;
using WirelessNet.Proto.Offload;
using WirelessNet.Testing;
using Xunit;

namespace WirelessNet.Lns.Tests.Offload;

/// <summary>
/// Carrier offload through the real server host: records signed with real ed25519 and P-256 Helium keys over gRPC,
/// HTTP JSON and MQTT; retries, forgeries and replays; a closed statement that reconciles exactly to the accepted
/// records and verifies offline; and partner isolation on every partner endpoint.
/// </summary>
public abstract class OffloadEndToEndTests
{
    internal const string AdminKey = "offload-admin-key-0123456789abcdef0123456789";

    private static readonly HeliumKeyPair RouterA = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly HeliumKeyPair RouterB = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)2, 32).ToArray());
    private static readonly HeliumKeyPair HotspotP256 = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
    private static readonly HeliumKeyPair HotspotEd = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)3, 32).ToArray());
    private static readonly HeliumKeyPair Payer = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)4, 32).ToArray());

    protected abstract string? RedisConfiguration { get; }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Offload:Enabled"] = "true",
        ["Offload:DataCompleteGrace"] = "00:00:00",
        ["Offload:RequireHeartbeats"] = "false",
        ["Offload:StatementKeySeed"] = new string('7', 64),
        ["Api:AdminKey"] = AdminKey,
    };

    [Fact]
    public async Task Records_over_grpc_http_and_mqtt_settle_into_a_statement_that_reconciles_and_verifies()
    {
        await using var server = await ServerUnderTest.StartAsync(null, RedisConfiguration, extra: Settings());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        await ConfigureAsync(http);
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1);
        var ts = yesterday.ToUnixTimeSeconds();
        var prefix = Guid.NewGuid().ToString("N")[..8];

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var helium = new poc_mobile.poc_mobileClient(channel);
        var batches = new offload_ingest.offload_ingestClient(channel);

        // Helium unary, P-256 hotspot, ed25519 router: accepted, and a retry answers the same id without counting twice.
        var first = HeliumSession(HotspotP256, RouterA, prefix + "-1", 1_000_000, 2_000_000, 2_500_000, ts);
        Assert.Equal(prefix + "-1", (await helium.submit_data_transfer_sessionAsync(first)).Id);
        Assert.Equal(prefix + "-1", (await helium.submit_data_transfer_sessionAsync(first)).Id);

        // A forged router signature and a replay of the event id with other bytes are refused with their reasons.
        var forged = first.Clone();
        forged.DataTransferUsage.EventId = prefix + "-forged";
        var forgedError = await Assert.ThrowsAsync<RpcException>(async () => await helium.submit_data_transfer_sessionAsync(forged));
        Assert.Equal(StatusCode.InvalidArgument, forgedError.StatusCode);
        Assert.Contains("InvalidRouterSignature", forgedError.Status.Detail, StringComparison.Ordinal);
        var replay = HeliumSession(HotspotP256, RouterA, prefix + "-1", 9_000_000, 9_000_000, 9_000_000, ts);
        var replayError = await Assert.ThrowsAsync<RpcException>(async () => await helium.submit_data_transfer_sessionAsync(replay));
        Assert.Contains("DuplicateEvent", replayError.Status.Detail, StringComparison.Ordinal);

        // Batch with RADIUS accounting: start 0, interim 100, interim 250, retried 250 (new id), stop 400.
        var batch = new data_transfer_batch_req_v1();
        var counters = new[] { 0L, 100_000, 250_000, 250_000, 400_000 };
        var kinds = new[] { AccountingRecordKind.Start, AccountingRecordKind.Interim, AccountingRecordKind.Interim, AccountingRecordKind.Interim, AccountingRecordKind.Stop };
        for (var i = 0; i < counters.Length; i++)
        {
            batch.AccountingRecords.Add(OffloadWire.ToWire(Accounting(HotspotEd, RouterA, "carrier-a", $"{prefix}-acct-{i}", prefix + "-radius", kinds[i], counters[i], ts + i)));
        }

        batch.Sessions.Add(HeliumSession(HotspotEd, RouterA, prefix + "-toolarge", 10, 10, 21, ts));
        var batchAnswer = await batches.submit_data_transfer_batchAsync(batch);
        Assert.Equal(5u, batchAnswer.Accepted);
        Assert.Equal("RewardableExceedsTransferred", batchAnswer.Results[0].Reason);

        // HTTP JSON batch: one new record, one from the future.
        var jsonBatch = new data_transfer_batch_req_v1
        {
            Sessions =
            {
                HeliumSession(HotspotEd, RouterA, prefix + "-http", 3_000_000, 0, 3_000_000, ts),
                HeliumSession(HotspotEd, RouterA, prefix + "-future", 1, 1, 1, DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()),
            },
        };
        using var response = await http.PostAsync("/api/offload/sessions", new StringContent(JsonFormatter.Default.Format(jsonBatch), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var httpAnswer = JsonParser.Default.Parse<data_transfer_batch_resp_v1>(await response.Content.ReadAsStringAsync());
        Assert.Equal(record_status.Accepted, httpAnswer.Results[0].Status);
        Assert.Equal("TimestampInFuture", httpAnswer.Results[1].Reason);

        // Malformed JSON: refused, and the server keeps serving.
        using var malformed = await http.PostAsync("/api/offload/sessions", new StringContent("{\"sessions\": [{\"pubKey\": 12", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        // MQTT, protobuf payload, QoS 1; the result comes back on .../result.
        await SubmitOverMqttAsync(server.MqttPort, "carrier-a", HeliumSession(HotspotP256, RouterA, prefix + "-mqtt", 500_000, 500_000, 1_000_000, ts));

        // Reconciliation: accepted = 2.5 MB + (0 + 100k + 150k + 0 + 150k) + 3 MB + 1 MB rewardable, 1 + 5 + 1 + 1 records.
        const long expectedRewardable = 2_500_000 + 400_000 + 3_000_000 + 1_000_000;
        using var admin = Authorized(http, AdminKey);
        var close = await admin.PostAsJsonAsync("/api/offload/carriers/carrier-a/close", new { periodStart = yesterday });
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        var statements = await admin.GetFromJsonAsync<JsonElement>("/api/offload/carriers/carrier-a/statements");
        var totals = statements[0].GetProperty("totals");
        Assert.Equal(8, totals.GetProperty("records").GetInt64());
        Assert.Equal(expectedRewardable, totals.GetProperty("rewardableBytes").GetInt64());

        // $1.00/GB: 6.9 MB → $0.0069 per hotspot lines rounded: P-256 hotspot 3.5 MB → 0.00, ed 3.4 MB → 0.00; DC = ceil per (hotspot, payer).
        Assert.Equal(35 + 34, totals.GetProperty("dataCredits").GetInt64());

        // The statement verifies offline against the published server key.
        var signed = await admin.GetFromJsonAsync<JsonElement>("/api/offload/carriers/carrier-a/statements/1");
        var key = (await http.GetFromJsonAsync<JsonElement>("/api/offload/statement-key")).GetProperty("address").GetString();
        Assert.True(StatementSigning.Verify(
            Convert.FromBase64String(signed.GetProperty("canonicalBytes").GetString()!),
            Convert.FromBase64String(signed.GetProperty("signature").GetString()!),
            HeliumPublicKey.ParseAddress(key!)));

        // A second close of the same period is refused; records stay as they were.
        var again = await admin.PostAsJsonAsync("/api/offload/carriers/carrier-a/close", new { periodStart = yesterday });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // Rejections are kept for the partner with their reasons.
        var partnerA = await CreatePartnerKeyAsync(admin, "carrier-a");
        using var clientA = Authorized(http, partnerA);
        var rejections = await clientA.GetFromJsonAsync<JsonElement>("/api/offload/carriers/carrier-a/rejections");
        var reasons = rejections.EnumerateArray().Select(r => r.GetProperty("reason").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "DuplicateEvent", "RewardableExceedsTransferred", "TimestampInFuture" }, reasons);
    }

    [Fact]
    public async Task A_partner_sees_only_its_own_carrier_on_every_partner_endpoint()
    {
        await using var server = await ServerUnderTest.StartAsync(null, RedisConfiguration, extra: Settings());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        await ConfigureAsync(http);
        using var admin = Authorized(http, AdminKey);
        var keyA = await CreatePartnerKeyAsync(admin, "carrier-a");
        var keyB = await CreatePartnerKeyAsync(admin, "carrier-b");
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var helium = new poc_mobile.poc_mobileClient(channel);
        await helium.submit_data_transfer_sessionAsync(HeliumSession(HotspotEd, RouterA, "a-secret-event", 1_000, 1_000, 2_000, yesterday.ToUnixTimeSeconds()));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/offload/carriers/carrier-a/close", new { periodStart = yesterday })).StatusCode);

        using var asA = Authorized(http, keyA);
        using var asB = Authorized(http, keyB);
        string[] reads = ["statements", "statements/1", "statements/1?format=csv", "usage?period=" + Uri.EscapeDataString(yesterday.ToString("O")), "records", "records?format=csv", "rejections"];
        foreach (var path in reads)
        {
            Assert.Equal(HttpStatusCode.OK, (await asA.GetAsync("/api/offload/carriers/carrier-a/" + path)).StatusCode);
            using var foreign = await asB.GetAsync("/api/offload/carriers/carrier-a/" + path);
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
            Assert.DoesNotContain("a-secret-event", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await asB.PostAsJsonAsync("/api/offload/carriers/carrier-a/disputes", new { eventIds = new[] { "a-secret-event" } })).StatusCode);
        Assert.Equal("[]", await (await asB.GetAsync("/api/offload/carriers/carrier-b/statements")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await asA.PostAsJsonAsync("/api/offload/carriers/carrier-a/close", new { periodStart = yesterday })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/offload/carriers/carrier-a/statements")).StatusCode);

        // The same over gRPC: the owner reads and verifies its statement; the other partner gets NOT_FOUND everywhere.
        var partner = new offload_partner.offload_partnerClient(channel);
        Metadata As(string key) => new() { { "authorization", "Bearer " + key } };
        var own = await partner.get_statementAsync(new get_statement_req { CarrierId = "carrier-a", Sequence = 1 }, As(keyA));
        var serverKey = (await http.GetFromJsonAsync<JsonElement>("/api/offload/statement-key")).GetProperty("address").GetString()!;
        Assert.True(StatementSigning.Verify(own.CanonicalBytes.Span, own.Signature.Span, HeliumPublicKey.ParseAddress(serverKey)));
        Assert.Single((await partner.list_statementsAsync(new carrier_req { CarrierId = "carrier-a" }, As(keyA))).Statements);
        Assert.Empty((await partner.list_statementsAsync(new carrier_req { CarrierId = "carrier-b" }, As(keyB))).Statements);
        var foreignCalls = new Func<Task>[]
        {
            async () => await partner.list_statementsAsync(new carrier_req { CarrierId = "carrier-a" }, As(keyB)),
            async () => await partner.get_statementAsync(new get_statement_req { CarrierId = "carrier-a", Sequence = 1 }, As(keyB)),
            async () => await partner.list_rejectionsAsync(new list_rejections_req { CarrierId = "carrier-a" }, As(keyB)),
            async () => await partner.disputeAsync(new dispute_req { CarrierId = "carrier-a", EventIds = { "a-secret-event" } }, As(keyB)),
            async () => await ReadAllAsync(partner.stream_usage(new usage_req { CarrierId = "carrier-a", Period = yesterday.ToUnixTimeSeconds(), Scope = usage_scope.Hotspot }, As(keyB))),
            async () => await ReadAllAsync(partner.stream_records(new records_req { CarrierId = "carrier-a" }, As(keyB))),
            async () => await ReadAllAsync(partner.stream_statements(new statements_req { CarrierId = "carrier-a" }, As(keyB))),
            async () => await partner.verify_statementAsync(new verify_statement_req { CarrierId = "carrier-a", Sequence = 1, CanonicalBytes = own.CanonicalBytes, Signature = own.Signature }, As(keyB)),
        };
        foreach (var call in foreignCalls)
        {
            Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(call)).StatusCode);
        }

        // Statements streamed one per message from a sequence; usage, records, the statement key and verification.
        var streamed = await ReadAllAsync(partner.stream_statements(new statements_req { CarrierId = "carrier-a", FromSequence = 1 }, As(keyA)));
        Assert.Equal(own.CanonicalBytes, Assert.Single(streamed).CanonicalBytes);
        Assert.Empty(await ReadAllAsync(partner.stream_statements(new statements_req { CarrierId = "carrier-a", FromSequence = 2 }, As(keyA))));
        var usage = await ReadAllAsync(partner.stream_usage(new usage_req { CarrierId = "carrier-a", Period = yesterday.ToUnixTimeSeconds(), Scope = usage_scope.Payer }, As(keyA)));
        var bucket = Assert.Single(usage);
        Assert.Equal((HotspotEd.PublicKey.ToAddress(), Payer.PublicKey.ToAddress(), 2_000UL, 1UL), (bucket.Hotspot, bucket.Payer, bucket.RewardableBytes, bucket.DataCredits));
        Assert.Empty(await ReadAllAsync(partner.stream_usage(new usage_req { CarrierId = "carrier-b", Period = yesterday.ToUnixTimeSeconds(), Scope = usage_scope.Hotspot }, As(keyB))));
        var records = await ReadAllAsync(partner.stream_records(new records_req { CarrierId = "carrier-a" }, As(keyA)));
        Assert.Equal(("a-secret-event", 0UL, 2_000UL), (Assert.Single(records).EventId, records[0].Position, records[0].RewardableBytes));
        Assert.Empty(await ReadAllAsync(partner.stream_records(new records_req { CarrierId = "carrier-a", Offset = 1 }, As(keyA))));
        Assert.Equal(serverKey, (await partner.get_statement_keyAsync(new statement_key_req())).Address);
        Assert.True((await partner.verify_statementAsync(new verify_statement_req { CarrierId = "carrier-a", Sequence = 1, CanonicalBytes = own.CanonicalBytes, Signature = own.Signature }, As(keyA))).Valid);
        var tampered = own.CanonicalBytes.ToByteArray();
        tampered[^1] ^= 1;
        var forged = await partner.verify_statementAsync(new verify_statement_req { CarrierId = "carrier-a", Sequence = 1, CanonicalBytes = ByteString.CopyFrom(tampered), Signature = own.Signature }, As(keyA));
        Assert.Equal((false, false, false), (forged.Valid, forged.SignatureValid, forged.MatchesIssued));

        // Verification over HTTP, scoped the same way.
        var verifyBody = new { canonicalBytes = own.CanonicalBytes.ToBase64(), signature = own.Signature.ToBase64() };
        var verified = await (await asA.PostAsJsonAsync("/api/offload/carriers/carrier-a/statements/1/verify", verifyBody)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await asB.PostAsJsonAsync("/api/offload/carriers/carrier-a/statements/1/verify", verifyBody)).StatusCode);

        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(async () => await partner.list_statementsAsync(new carrier_req { CarrierId = "carrier-a" }))).StatusCode);

        // The owner's dispute is taken and credited on the next adjustment.
        var dispute = await asA.PostAsJsonAsync("/api/offload/carriers/carrier-a/disputes", new { eventIds = new[] { "a-secret-event", "unknown" } });
        var disputed = await dispute.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("a-secret-event", disputed.GetProperty("credited")[0].GetString());
        Assert.Equal("unknown", disputed.GetProperty("notSettled")[0].GetString());
    }

    [Fact]
    public async Task A_data_complete_period_is_closed_automatically_once()
    {
        var settings = Settings();
        settings["Offload:AutoCloseInterval"] = "00:00:00.500";
        await using var server = await ServerUnderTest.StartAsync(null, RedisConfiguration, extra: settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        await ConfigureAsync(http);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1);
        await new poc_mobile.poc_mobileClient(channel).submit_data_transfer_sessionAsync(HeliumSession(HotspotEd, RouterA, "auto-1", 1_000, 1_000, 2_000, yesterday.ToUnixTimeSeconds()));

        using var admin = Authorized(http, AdminKey);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement statements;
        do
        {
            await Task.Delay(250);
            statements = await admin.GetFromJsonAsync<JsonElement>("/api/offload/carriers/carrier-a/statements");
        }
        while (statements.GetArrayLength() == 0 && DateTime.UtcNow < deadline);

        // Several more ticks: yesterday stays closed once, today (not data-complete) stays open.
        await Task.Delay(1500);
        statements = await admin.GetFromJsonAsync<JsonElement>("/api/offload/carriers/carrier-a/statements");
        var only = Assert.Single(statements.EnumerateArray());
        Assert.Equal(1, only.GetProperty("sequence").GetInt64());
        Assert.Equal(2_000, only.GetProperty("totals").GetProperty("rewardableBytes").GetInt64());
        Assert.Equal(new DateTimeOffset(yesterday.UtcDateTime.Date, TimeSpan.Zero), only.GetProperty("periodStart").GetDateTimeOffset());
    }

    [Fact]
    public async Task Bad_input_is_refused_with_reasons_and_the_server_keeps_serving()
    {
        await using var server = await ServerUnderTest.StartAsync(null, RedisConfiguration, extra: Settings());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        await ConfigureAsync(http);
        var ts = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        var stranger = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)77, 32).ToArray());

        // Over MQTT as protobuf JSON: an unknown router, a record of carrier A on carrier B's topic, a record older
        // than the late-record limit, an unknown hotspot, and a good one.
        var batch = new data_transfer_batch_req_v1
        {
            Sessions =
            {
                HeliumSession(HotspotEd, stranger, "bad-router", 1, 1, 2, ts),
                HeliumSession(HotspotEd, RouterA, "wrong-topic", 1, 1, 2, ts),
            },
        };
        var answer = await PublishJsonAsync(server.MqttPort, "carrier-b", batch);
        Assert.Equal(["RouterNotRegistered", "RouterNotRegistered"], answer.Results.Select(r => r.Reason));

        var mixed = new data_transfer_batch_req_v1
        {
            Sessions =
            {
                HeliumSession(HotspotEd, RouterA, "too-old", 1, 1, 2, DateTimeOffset.UtcNow.AddDays(-4).ToUnixTimeSeconds()),
                HeliumSession(stranger, RouterA, "unknown-hotspot", 1, 1, 2, ts),
                HeliumSession(HotspotEd, RouterA, "good-json", 1, 1, 2, ts),
            },
        };
        answer = await PublishJsonAsync(server.MqttPort, "carrier-a", mixed);
        Assert.Equal(["TimestampTooOld", "UnknownHotspot", ""], answer.Results.Select(r => r.Reason));
        Assert.Equal(record_status.Accepted, answer.Results[2].Status);

        // Undecodable MQTT payload: answered as malformed, nothing else happens.
        answer = await PublishRawAsync(server.MqttPort, "carrier-a", [0xff, 0xff, 0xff]);
        Assert.Equal("MalformedMessage", answer.Results[0].Reason);

        // Over gRPC: an envelope without an event, and a batch over the size limit.
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var helium = new poc_mobile.poc_mobileClient(channel);
        var empty = new data_transfer_session_req_v1 { PubKey = ByteString.CopyFrom(RouterA.PublicKey.AsSpan()) };
        var error = await Assert.ThrowsAsync<RpcException>(async () => await helium.submit_data_transfer_sessionAsync(empty));
        Assert.Contains("MalformedRecord", error.Status.Detail, StringComparison.Ordinal);
        var huge = new data_transfer_batch_req_v1();
        huge.Sessions.Add(Enumerable.Repeat(empty, 5_001));
        var tooMany = await Assert.ThrowsAsync<RpcException>(async () => await new offload_ingest.offload_ingestClient(channel).submit_data_transfer_batchAsync(huge));
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);

        // Still serving, and the rejections were counted by reason.
        Assert.Equal("good-json-2", (await helium.submit_data_transfer_sessionAsync(HeliumSession(HotspotEd, RouterA, "good-json-2", 1, 1, 2, ts))).Id);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("wirelessnet_offload_records_rejected_total{kind=\"session\",reason=\"UnknownHotspot\"}", metrics, StringComparison.Ordinal);
    }

    private static async Task<data_transfer_batch_resp_v1> PublishJsonAsync(int port, string carrierId, data_transfer_batch_req_v1 batch)
    {
        var answer = await PublishRawAsync(port, carrierId, Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(batch)));
        return answer;
    }

    private static async Task<data_transfer_batch_resp_v1> PublishRawAsync(int port, string carrierId, byte[] payload)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var answered = new TaskCompletionSource<data_transfer_batch_resp_v1>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var bytes = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
            answered.TrySetResult(bytes.Length > 0 && bytes[0] == (byte)'{'
                ? JsonParser.Default.Parse<data_transfer_batch_resp_v1>(Encoding.UTF8.GetString(bytes))
                : data_transfer_batch_resp_v1.Parser.ParseFrom(bytes));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("router-" + Guid.NewGuid().ToString("N")[..8]).Build());
        await client.SubscribeAsync($"offload/{carrierId}/session/result", MqttQualityOfServiceLevel.AtLeastOnce);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!answered.Task.IsCompleted)
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"offload/{carrierId}/session").WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
            await Task.WhenAny(answered.Task, Task.Delay(500, timeout.Token));
        }

        await client.DisconnectAsync();
        return await answered.Task;
    }

    internal static async Task ConfigureAsync(HttpClient http)
    {
        using var admin = Authorized(http, AdminKey);
        (await admin.PutAsJsonAsync("/api/offload/carriers/carrier-a", new { routerKeys = new[] { RouterA.PublicKey.ToAddress() }, allowedTechnologies = new[] { "Eutran", "Wlan" } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/offload/carriers/carrier-b", new { routerKeys = new[] { RouterB.PublicKey.ToAddress() } })).EnsureSuccessStatusCode();
        foreach (var hotspot in new[] { HotspotP256, HotspotEd })
        {
            (await admin.PutAsJsonAsync($"/api/offload/hotspots/{hotspot.PublicKey.ToAddress()}", new { banned = false, latitude = 52.37, longitude = 4.89 })).EnsureSuccessStatusCode();
        }

        foreach (var carrier in new[] { "carrier-a", "carrier-b" })
        {
            (await admin.PostAsJsonAsync($"/api/offload/carriers/{carrier}/rate-cards", new { effectiveFrom = DateTimeOffset.UnixEpoch, pricePerGigabyte = 1.00m, currency = "USD", operatorRevenueShare = 0.6m })).EnsureSuccessStatusCode();
        }
    }

    private static async Task<List<T>> ReadAllAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            var items = new List<T>();
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                items.Add(call.ResponseStream.Current);
            }

            return items;
        }
    }

    internal static async Task<string> CreatePartnerKeyAsync(HttpClient admin, string carrierId)
    {
        var created = await admin.PostAsync($"/api/offload/carriers/{carrierId}/partner-keys", null);
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    internal static HttpClient Authorized(HttpClient http, string key)
    {
        var client = new HttpClient { BaseAddress = http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A Helium envelope signed the Helium way: each signer over the protobuf bytes with its signature empty.</summary>
    internal static data_transfer_session_req_v1 HeliumSession(HeliumKeyPair hotspot, HeliumKeyPair router, string eventId, ulong up, ulong down, ulong rewardable, long timestamp)
    {
        var e = new data_transfer_event
        {
            PubKey = ByteString.CopyFrom(hotspot.PublicKey.AsSpan()),
            UploadBytes = up,
            DownloadBytes = down,
            RadioAccessTechnology = data_transfer_radio_access_technology.Eutran,
            EventId = eventId,
            Payer = ByteString.CopyFrom(Payer.PublicKey.AsSpan()),
            Timestamp = (ulong)timestamp,
        };
        e.Signature = ByteString.CopyFrom(hotspot.Sign(e.ToByteArray()));
        var request = new data_transfer_session_req_v1
        {
            DataTransferUsage = e,
            PubKey = ByteString.CopyFrom(router.PublicKey.AsSpan()),
            RewardableBytes = rewardable,
        };
        request.Signature = ByteString.CopyFrom(router.Sign(request.ToByteArray()));
        return request;
    }

    internal static DataTransferSessionRequest Accounting(HeliumKeyPair hotspot, HeliumKeyPair router, string carrierId, string eventId, string session, AccountingRecordKind kind, long cumulative, long timestamp)
    {
        var e = RecordSigner.SignEvent(
            new DataTransferEvent(hotspot.PublicKey, cumulative / 2, cumulative / 2, RadioAccessTechnology.Wlan, eventId, Payer.PublicKey, timestamp, ReadOnlyMemory<byte>.Empty)
            {
                AccountingKind = kind,
                AccountingSessionId = session,
            },
            hotspot);
        return RecordSigner.SignSessionRequest(new DataTransferSessionRequest(e, cumulative, router.PublicKey, carrierId, false, false, ReadOnlyMemory<byte>.Empty), router);
    }

    private static async Task SubmitOverMqttAsync(int port, string carrierId, data_transfer_session_req_v1 session)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var answered = new TaskCompletionSource<data_transfer_batch_resp_v1>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            answered.TrySetResult(data_transfer_batch_resp_v1.Parser.ParseFrom(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("router-" + Guid.NewGuid().ToString("N")[..8]).Build());
        await client.SubscribeAsync($"offload/{carrierId}/session/result", MqttQualityOfServiceLevel.AtLeastOnce);
        var batch = new data_transfer_batch_req_v1 { Sessions = { session } };

        // The server subscribes once its broker connection is up; republishing until answered covers that start-up
        // race, and the retries are exactly what the server must absorb without counting twice.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!answered.Task.IsCompleted)
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"offload/{carrierId}/session").WithPayload(batch.ToByteArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
            await Task.WhenAny(answered.Task, Task.Delay(500, timeout.Token));
        }

        var result = (await answered.Task).Results[0];
        Assert.NotEqual(record_status.Rejected, result.Status);
        await client.DisconnectAsync();
    }
}

public sealed class InMemoryOffloadEndToEndTests : OffloadEndToEndTests
{
    protected override string? RedisConfiguration => null;
}

public sealed class RedisOffloadEndToEndTests(RedisServerFixture redis) : OffloadEndToEndTests, IClassFixture<RedisServerFixture>
{
    protected override string? RedisConfiguration => redis.ConnectionString;
}
