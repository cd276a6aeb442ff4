using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Tests.EndToEnd;
using WirelessNet.Proto.Helium.PocMobile;
using WirelessNet.Proto.Offload;
using Xunit;

namespace WirelessNet.Lns.Tests.Offload;

/// <summary>
/// Heartbeats decide what a hotspot's traffic earns: ≥ 12 counted hours on the day, at the mean location trust
/// (≤ 300 m from the asserted location → 1, ≤ 400 m → 0.25). Signed Wi-Fi heartbeats over gRPC, then a close.
/// </summary>
public sealed class OffloadHeartbeatTests
{
    private static readonly HeliumKeyPair Near = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)21, 32).ToArray());
    private static readonly HeliumKeyPair Far = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
    private static readonly HeliumKeyPair Sparse = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)22, 32).ToArray());
    private static readonly HeliumKeyPair Router = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)1, 32).ToArray());

    [Fact]
    public async Task Heartbeat_hours_and_location_trust_set_each_hotspots_rate_on_the_statement()
    {
        await using var server = await ServerUnderTest.StartAsync(null, null, extra: new Dictionary<string, string?>
        {
            ["Offload:Enabled"] = "true",
            ["Offload:DataCompleteGrace"] = "00:00:00",
            ["Offload:RequireHeartbeats"] = "true",
            ["Api:AdminKey"] = OffloadEndToEndTests.AdminKey,
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        using var admin = OffloadEndToEndTests.Authorized(http, OffloadEndToEndTests.AdminKey);
        (await admin.PutAsJsonAsync("/api/offload/carriers/carrier-a", new { routerKeys = new[] { Router.PublicKey.ToAddress() } })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/offload/carriers/carrier-a/rate-cards", new { effectiveFrom = DateTimeOffset.UnixEpoch, pricePerGigabyte = 10m, currency = "USD", operatorRevenueShare = 0.5m })).EnsureSuccessStatusCode();
        foreach (var hotspot in new[] { Near, Far, Sparse })
        {
            (await admin.PutAsJsonAsync($"/api/offload/hotspots/{hotspot.PublicKey.ToAddress()}", new { banned = false, latitude = 52.37, longitude = 4.89 })).EnsureSuccessStatusCode();
        }

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var helium = new poc_mobile.poc_mobileClient(channel);
        var day = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1).UtcDateTime.Date, TimeSpan.Zero);
        for (var hour = 0; hour < 12; hour++)
        {
            var when = day.AddHours(hour).AddMinutes(10);
            Assert.Equal("Accepted", (await helium.submit_wifi_heartbeatAsync(Heartbeat(Near, when, 52.37, 4.89))).Id);
            // 350 m north of the asserted location: trust 0.25.
            Assert.Equal("Accepted", (await helium.submit_wifi_heartbeatAsync(Heartbeat(Far, when, 52.37 + (350 / 111_320.0), 4.89))).Id);
            if (hour < 11)
            {
                await helium.submit_wifi_heartbeatAsync(Heartbeat(Sparse, when, 52.37, 4.89));
            }
        }

        // A second heartbeat in a counted hour adds nothing; untrusted, forged and unknown ones are refused with reasons.
        Assert.Equal("AlreadyAccepted", (await helium.submit_wifi_heartbeatAsync(Heartbeat(Near, day.AddMinutes(50), 52.37, 4.89))).Id);
        var batch = new heartbeat_batch_req_v1
        {
            WifiHeartbeats =
            {
                Heartbeat(Near, day.AddHours(13), 52.40, 4.89),
                Forged(Heartbeat(Near, day.AddHours(14), 52.37, 4.89)),
                Heartbeat(HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet), day.AddHours(14), 52.37, 4.89),
            },
            Speedtests = { Speedtest(Near, day.AddHours(3), upload: 5_000_000, download: 40_000_000), Speedtest(Near, day.AddHours(4), upload: 5_000_000, download: 20_000_000) },
        };
        var answer = await new offload_ingest.offload_ingestClient(channel).submit_heartbeat_batchAsync(batch);
        Assert.Equal(["LocationUntrusted", "InvalidSignature", "UnknownHotspot", "SpeedTooHigh", ""], answer.Results.Select(r => r.Reason));
        var tooFast = await Assert.ThrowsAsync<RpcException>(async () => await helium.submit_speedtestAsync(Speedtest(Near, day.AddHours(3), 5_000_000, 40_000_000)));
        Assert.Contains("SpeedTooHigh", tooFast.Status.Detail, StringComparison.Ordinal);

        // One GB of rewardable traffic per hotspot on that day.
        foreach (var (hotspot, n) in new[] { (Near, 0), (Far, 1), (Sparse, 2) })
        {
            await helium.submit_data_transfer_sessionAsync(OffloadEndToEndTests.HeliumSession(hotspot, Router, "hb-" + n, 500_000_000, 500_000_000, 1_000_000_000, day.AddHours(12).ToUnixTimeSeconds()));
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/offload/carriers/carrier-a/close", new { periodStart = day })).StatusCode);
        var statement = (await admin.GetFromJsonAsync<JsonElement>("/api/offload/carriers/carrier-a/statements"))[0];
        var amounts = statement.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("hotspot").GetString()!, l => l.GetProperty("amount").GetDecimal());
        Assert.Equal(10.00m, amounts[Near.PublicKey.ToAddress()]);
        Assert.Equal(2.50m, amounts[Far.PublicKey.ToAddress()]);
        Assert.Equal(0m, amounts[Sparse.PublicKey.ToAddress()]);
        Assert.Equal(12.50m, statement.GetProperty("totals").GetProperty("amount").GetDecimal());
        Assert.Equal(6.25m, statement.GetProperty("totals").GetProperty("operatorShare").GetDecimal());
    }

    [Fact]
    public async Task Speed_tests_are_kept_shown_to_the_carrier_of_the_hotspot_and_set_the_rate_when_required()
    {
        var routerB = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)2, 32).ToArray());
        var slow = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)23, 32).ToArray());
        await using var server = await ServerUnderTest.StartAsync(null, null, extra: new Dictionary<string, string?>
        {
            ["Offload:Enabled"] = "true",
            ["Offload:DataCompleteGrace"] = "00:00:00",
            ["Offload:RequireHeartbeats"] = "true",
            ["Offload:RequireSpeedtests"] = "true",
            ["Api:AdminKey"] = OffloadEndToEndTests.AdminKey,
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.HttpPort}") };
        using var admin = OffloadEndToEndTests.Authorized(http, OffloadEndToEndTests.AdminKey);
        (await admin.PutAsJsonAsync("/api/offload/carriers/carrier-a", new { routerKeys = new[] { Router.PublicKey.ToAddress() } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/offload/carriers/carrier-b", new { routerKeys = new[] { routerB.PublicKey.ToAddress() } })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/offload/carriers/carrier-a/rate-cards", new { effectiveFrom = DateTimeOffset.UnixEpoch, pricePerGigabyte = 10m, currency = "USD", operatorRevenueShare = 0.5m })).EnsureSuccessStatusCode();
        foreach (var hotspot in new[] { Near, slow, Sparse })
        {
            (await admin.PutAsJsonAsync($"/api/offload/hotspots/{hotspot.PublicKey.ToAddress()}", new { banned = false, latitude = 52.37, longitude = 4.89 })).EnsureSuccessStatusCode();
        }

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var helium = new poc_mobile.poc_mobileClient(channel);
        var day = new DateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1).UtcDateTime.Date, TimeSpan.Zero);
        for (var hour = 0; hour < 12; hour++)
        {
            foreach (var hotspot in new[] { Near, slow, Sparse })
            {
                await helium.submit_wifi_heartbeatAsync(Heartbeat(hotspot, day.AddHours(hour).AddMinutes(10), 52.37, 4.89));
            }
        }

        // Near: 100 Mbps down, 10 up, 25 ms (tier 1); slow: 50 / 5 (tier 0.5); Sparse: no tests (0). A resent test is kept once.
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("Accepted", (await helium.submit_speedtestAsync(Speedtest(Near, day.AddHours(i), 1_250_000, 12_500_000))).Id);
            await helium.submit_speedtestAsync(Speedtest(slow, day.AddHours(i), 625_000, 6_250_000));
        }

        await helium.submit_speedtestAsync(Speedtest(Near, day.AddHours(5), 1_250_000, 12_500_000));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await helium.submit_speedtestAsync(Speedtest(HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet), day, 1_000, 1_000)));
        Assert.Contains("UnknownHotspot", unknown.Status.Detail, StringComparison.Ordinal);

        foreach (var (hotspot, n) in new[] { (Near, 0), (slow, 1), (Sparse, 2) })
        {
            await helium.submit_data_transfer_sessionAsync(OffloadEndToEndTests.HeliumSession(hotspot, Router, "st-" + n, 500_000_000, 500_000_000, 1_000_000_000, day.AddHours(12).ToUnixTimeSeconds()));
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/offload/carriers/carrier-a/close", new { periodStart = day })).StatusCode);
        var statement = (await admin.GetFromJsonAsync<JsonElement>("/api/offload/carriers/carrier-a/statements"))[0];
        var amounts = statement.GetProperty("lines").EnumerateArray().ToDictionary(l => l.GetProperty("hotspot").GetString()!, l => l.GetProperty("amount").GetDecimal());
        Assert.Equal(10.00m, amounts[Near.PublicKey.ToAddress()]);
        Assert.Equal(5.00m, amounts[slow.PublicKey.ToAddress()]);
        Assert.Equal(0m, amounts[Sparse.PublicKey.ToAddress()]);

        // Carrier A sees the tests of the hotspots that carried its traffic; carrier B (no traffic there) gets 404 / NOT_FOUND.
        var keyA = await OffloadEndToEndTests.CreatePartnerKeyAsync(admin, "carrier-a");
        var keyB = await OffloadEndToEndTests.CreatePartnerKeyAsync(admin, "carrier-b");
        using var asA = OffloadEndToEndTests.Authorized(http, keyA);
        using var asB = OffloadEndToEndTests.Authorized(http, keyB);
        var path = $"/api/offload/carriers/carrier-a/hotspots/{Near.PublicKey.ToAddress()}/speedtests";
        var tests = await asA.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal(6, tests.GetProperty("speedtests").GetArrayLength());
        Assert.Equal(1m, tests.GetProperty("multiplier").GetDecimal());
        Assert.Equal(day.AddHours(5), tests.GetProperty("speedtests")[0].GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.NotFound, (await asB.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asB.GetAsync($"/api/offload/carriers/carrier-b/hotspots/{Near.PublicKey.ToAddress()}/speedtests")).StatusCode);

        var partner = new offload_partner.offload_partnerClient(channel);
        Metadata As(string key) => new() { { "authorization", "Bearer " + key } };
        var listed = await partner.list_speedtestsAsync(new list_speedtests_req { CarrierId = "carrier-a", Hotspot = slow.PublicKey.ToAddress() }, As(keyA));
        Assert.Equal((6, "0.5", 6_250_000UL), (listed.Speedtests.Count, listed.Multiplier, listed.Speedtests[0].DownloadSpeed));
        foreach (var request in new[]
        {
            new list_speedtests_req { CarrierId = "carrier-a", Hotspot = slow.PublicKey.ToAddress() },
            new list_speedtests_req { CarrierId = "carrier-b", Hotspot = slow.PublicKey.ToAddress() },
        })
        {
            Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () => await partner.list_speedtestsAsync(request, As(keyB)))).StatusCode);
        }
    }

    private static wifi_heartbeat_req_v1 Heartbeat(HeliumKeyPair hotspot, DateTimeOffset when, double lat, double lon)
    {
        var heartbeat = new wifi_heartbeat_req_v1
        {
            PubKey = ByteString.CopyFrom(hotspot.PublicKey.AsSpan()),
            Timestamp = (ulong)when.ToUnixTimeSeconds(),
            Lat = lat,
            Lon = lon,
            OperationMode = true,
            LocationSource = location_source.Asserted,
        };
        heartbeat.Signature = ByteString.CopyFrom(hotspot.Sign(heartbeat.ToByteArray()));
        return heartbeat;
    }

    private static wifi_heartbeat_req_v1 Forged(wifi_heartbeat_req_v1 heartbeat)
    {
        var forged = heartbeat.Clone();
        forged.Lat += 0.0001;
        return forged;
    }

    private static speedtest_req_v1 Speedtest(HeliumKeyPair hotspot, DateTimeOffset when, ulong upload, ulong download)
    {
        var test = new speedtest_req_v1
        {
            PubKey = ByteString.CopyFrom(hotspot.PublicKey.AsSpan()),
            Serial = "sim-1",
            Timestamp = (ulong)when.ToUnixTimeSeconds(),
            UploadSpeed = upload,
            DownloadSpeed = download,
            Latency = 25,
        };
        test.Signature = ByteString.CopyFrom(hotspot.Sign(test.ToByteArray()));
        return test;
    }
}
