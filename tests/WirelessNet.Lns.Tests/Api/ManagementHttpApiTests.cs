using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Pipeline;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Api;

/// <summary>The JSON API against a real Kestrel host: auth, tenant isolation, validation, paging, ABP and queue.</summary>
public sealed class ManagementHttpApiTests(ApiTestServer server) : IClassFixture<ApiTestServer>
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wnk.0123456789abcdef0123456789abcdef.bogus")]
    [InlineData("not-a-key")]
    public async Task Missing_or_invalid_key_is_401(string? key)
    {
        var (status, body) = await server.GetAsync("/api/applications", key);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("API key", body.GetProperty("error").GetString(), StringComparison.Ordinal);

        (status, _) = await server.PostAsync("/api/tenants", key, new { name = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Wrong_scheme_is_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/applications");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + ApiTestServer.AdminKey);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Admin_key_manages_tenants_and_keys_only()
    {
        var (tenantId, key) = await server.CreateTenantAsync("acme");
        Assert.StartsWith("wnk.", key, StringComparison.Ordinal);

        // The admin key does not act inside a tenant; a tenant key cannot create tenants or keys.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostAsync("/api/applications", ApiTestServer.AdminKey, new { name = "a" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostAsync("/api/tenants", key, new { name = "evil" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PostAsync($"/api/tenants/{tenantId}/api-keys", key, new { name = "k" })).Status);

        // The plaintext key is shown once: listings carry only id and name.
        var (status, keys) = await server.GetAsync($"/api/tenants/{tenantId}/api-keys", ApiTestServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, status);
        var listed = Assert.Single(keys.GetProperty("items").EnumerateArray());
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.DoesNotContain(key, keys.GetRawText(), StringComparison.Ordinal);

        // A tenant sees its own tenant only.
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync($"/api/tenants/{tenantId}", key)).Status);
        var (_, own) = await server.GetAsync("/api/tenants", key);
        Assert.Equal(tenantId, Assert.Single(own.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Revoked_key_is_401()
    {
        var (tenantId, key) = await server.CreateTenantAsync("revoked");
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/api/applications", key)).Status);
        var (_, keys) = await server.GetAsync($"/api/tenants/{tenantId}/api-keys", ApiTestServer.AdminKey);
        var keyId = keys.GetProperty("items")[0].GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/tenants/{tenantId}/api-keys/{keyId}", ApiTestServer.AdminKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/api/applications", key)).Status);
    }

    [Fact]
    public async Task Tenant_cannot_see_read_update_or_delete_another_tenants_objects()
    {
        var (tenantA, keyA) = await server.CreateTenantAsync("A");
        var (_, keyB) = await server.CreateTenantAsync("B");
        var a = await server.CreateObjectsAsync(keyA, TestKeys.NewEui());
        var gatewayId = TestKeys.NewEui();
        Assert.Equal(HttpStatusCode.Created, (await server.PostAsync("/api/gateways", keyA, new { gatewayId, region = "eu868" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await server.PostAsync($"/api/devices/{a.DevEui}/queue", keyA, new { fPort = 1, data = "AQI=" })).Status);

        string[] readable =
        [
            $"/api/applications/{a.ApplicationId}",
            $"/api/device-profiles/{a.ProfileId}",
            $"/api/devices/{a.DevEui}",
            $"/api/devices/{a.DevEui}/keys",
            $"/api/devices/{a.DevEui}/queue",
            $"/api/devices?applicationId={a.ApplicationId}",
            $"/api/gateways/{gatewayId}",
            $"/api/tenants/{tenantA}",
        ];
        foreach (var path in readable)
        {
            var (status, body) = await server.GetAsync(path, keyB);
            Assert.True(status == HttpStatusCode.NotFound, $"GET {path} as B: {status}");
            Assert.EndsWith("not found", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await server.PutAsync($"/api/applications/{a.ApplicationId}", keyB, new { name = "stolen" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PutAsync($"/api/device-profiles/{a.ProfileId}", keyB, new { name = "stolen" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PutAsync($"/api/devices/{a.DevEui}", keyB, new { name = "stolen" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PutAsync($"/api/devices/{a.DevEui}/keys", keyB, new { appKey = TestKeys.AppSKeyHex })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PutAsync($"/api/devices/{a.DevEui}/activation", keyB, Abp("26011bda"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostAsync($"/api/devices/{a.DevEui}/queue", keyB, new { fPort = 1, data = "AQI=" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PutAsync($"/api/gateways/{gatewayId}", keyB, new { name = "stolen" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.DeleteAsync($"/api/devices/{a.DevEui}/queue", keyB)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.DeleteAsync($"/api/devices/{a.DevEui}", keyB)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.DeleteAsync($"/api/gateways/{gatewayId}", keyB)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.DeleteAsync($"/api/device-profiles/{a.ProfileId}", keyB)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.DeleteAsync($"/api/applications/{a.ApplicationId}", keyB)).Status);

        // B cannot attach a device to A's application or profile either.
        var (s, _) = await server.PostAsync("/api/devices", keyB, new { devEui = TestKeys.NewEui(), applicationId = a.ApplicationId, profileId = a.ProfileId });
        Assert.Equal(HttpStatusCode.NotFound, s);

        // B's lists hold none of A's objects.
        foreach (var path in new[] { "/api/applications", "/api/device-profiles", "/api/gateways" })
        {
            var (status, list) = await server.GetAsync(path, keyB);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Empty(list.GetProperty("items").EnumerateArray());
        }

        // Nothing of A's changed.
        var (_, device) = await server.GetAsync($"/api/devices/{a.DevEui}", keyA);
        Assert.Equal("dev", device.GetProperty("name").GetString());
        var (_, app) = await server.GetAsync($"/api/applications/{a.ApplicationId}", keyA);
        Assert.Equal("app", app.GetProperty("name").GetString());
        Assert.Single((await server.Store.ListAsync(Eui64.Parse(a.DevEui), default)));
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync($"/api/gateways/{gatewayId}", keyA)).Status);
        var (_, appsA) = await server.GetAsync("/api/applications", keyA);
        Assert.Single(appsA.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Device_crud_keeps_root_keys_write_only()
    {
        var (_, key) = await server.CreateTenantAsync("crud");
        var devEui = TestKeys.NewEui();
        var a = await server.CreateObjectsAsync(key, devEui);

        var (status, device) = await server.GetAsync($"/api/devices/{devEui}", key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(device.GetProperty("appKeySet").GetBoolean());
        Assert.False(device.GetProperty("nwkKeySet").GetBoolean());
        Assert.DoesNotContain(TestKeys.AppKeyHex, device.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(AesKey.Parse(TestKeys.AppKeyHex), (await server.Store.GetDeviceAsync(Eui64.Parse(devEui), default))!.AppKey);

        var (s2, updated) = await server.PutAsync($"/api/devices/{devEui}", key, new { name = "renamed", disabled = true });
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal("renamed", updated.GetProperty("name").GetString());
        Assert.True(updated.GetProperty("disabled").GetBoolean());
        Assert.True(updated.GetProperty("appKeySet").GetBoolean());

        // An installed location (for measured coverage): set, kept by updates that leave it out, validated.
        var (s4, located) = await server.PutAsync($"/api/devices/{devEui}", key, new { location = new { latitude = 52.52, longitude = 13.405, altitude = 34.0 } });
        Assert.Equal(HttpStatusCode.OK, s4);
        Assert.Equal(52.52, located.GetProperty("location").GetProperty("latitude").GetDouble());
        var (_, renamed) = await server.PutAsync($"/api/devices/{devEui}", key, new { name = "renamed again" });
        Assert.Equal(13.405, renamed.GetProperty("location").GetProperty("longitude").GetDouble());
        Assert.Equal(new GeoLocation(52.52, 13.405, 34), (await server.Store.GetDeviceAsync(Eui64.Parse(devEui), default))!.Location);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.PutAsync($"/api/devices/{devEui}", key, new { location = new { latitude = 95.0, longitude = 0.0, altitude = 0.0 } })).Status);

        var (s3, keys) = await server.PutAsync($"/api/devices/{devEui}/keys", key, new { appKey = "", nwkKey = TestKeys.AppSKeyHex });
        Assert.Equal(HttpStatusCode.OK, s3);
        Assert.False(keys.GetProperty("appKeySet").GetBoolean());
        Assert.True(keys.GetProperty("nwkKeySet").GetBoolean());
        Assert.DoesNotContain(TestKeys.AppSKeyHex, keys.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // Same EUI again: conflict; the application cannot go while it has the device; the profile neither.
        Assert.Equal(HttpStatusCode.Conflict, (await server.PostAsync("/api/devices", key, new { devEui, applicationId = a.ApplicationId, profileId = a.ProfileId })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await server.DeleteAsync($"/api/applications/{a.ApplicationId}", key)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await server.DeleteAsync($"/api/device-profiles/{a.ProfileId}", key)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/devices/{devEui}", key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync($"/api/devices/{devEui}", key)).Status);
        Assert.Null(await server.Store.GetDeviceAsync(Eui64.Parse(devEui), default));
        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/device-profiles/{a.ProfileId}", key)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/applications/{a.ApplicationId}", key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync($"/api/applications/{a.ApplicationId}", key)).Status);
    }

    [Fact]
    public async Task Gateway_crud_with_location_and_status()
    {
        var (_, key) = await server.CreateTenantAsync("gw");
        var gatewayId = TestKeys.NewEui();
        var (status, gw) = await server.PostAsync("/api/gateways", key, new
        {
            gatewayId = gatewayId.ToUpperInvariant(),
            name = "roof",
            region = "EU868",
            location = new { latitude = 52.37, longitude = 4.89, altitude = 12.5 },
            antennaGainDbi10 = 30,
            elevationMetres = 15,
        });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(gatewayId, gw.GetProperty("gatewayId").GetString());
        Assert.Equal("eu868", gw.GetProperty("region").GetString());
        Assert.Equal(JsonValueKind.Null, gw.GetProperty("status").ValueKind);

        var stored = await server.Store.GetGatewayAsync(Eui64.Parse(gatewayId), default);
        Assert.Equal(30, stored!.AntennaGainDbi10);
        Assert.Equal(52.37, stored.Location!.Value.Latitude);

        var seenAt = DateTimeOffset.UtcNow;
        var board = server.Services.GetRequiredService<GatewayStatusBoard>();
        board.Connection(Eui64.Parse(gatewayId), online: true, seenAt);
        var (_, read) = await server.GetAsync($"/api/gateways/{gatewayId}", key);
        Assert.True(read.GetProperty("status").GetProperty("online").GetBoolean());

        var (s2, updated) = await server.PutAsync($"/api/gateways/{gatewayId}", key, new { antennaGainDbi10 = 55 });
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal(55, updated.GetProperty("antennaGainDbi10").GetInt32());
        Assert.Equal("roof", updated.GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/gateways/{gatewayId}", key)).Status);
        Assert.Null(await server.Store.GetGatewayAsync(Eui64.Parse(gatewayId), default));
    }

    public static TheoryData<string, string, string, string> InvalidRequests => new()
    {
        // method, path suffix (after the tenant's objects exist), JSON body, expected text in the reason
        { "POST", "/api/devices", """{"devEui":"xyz","applicationId":"{app}","profileId":"{profile}"}""", "devEui" },
        { "POST", "/api/devices", """{"devEui":"0102030405060708","applicationId":"{app}","profileId":"{profile}","appKey":"abcd"}""", "appKey" },
        { "POST", "/api/devices", """{"devEui":"0102030405060708","applicationId":"{app}","profileId":"{profile}","joinEui":"zz"}""", "joinEui" },
        { "POST", "/api/devices", """{"devEui":"0102030405060708","applicationId":"a/b","profileId":"{profile}"}""", "applicationId" },
        { "POST", "/api/gateways", """{"gatewayId":"0102030405060708","region":"mars433"}""", "region" },
        { "POST", "/api/gateways", """{"gatewayId":"0102030405060708","region":"eu868","location":{"latitude":91,"longitude":0,"altitude":0}}""", "latitude" },
        { "POST", "/api/gateways", """{"gatewayId":"0102030405060708","region":"eu868","location":{"latitude":0,"longitude":-180.5,"altitude":0}}""", "longitude" },
        { "POST", "/api/gateways", """{"gatewayId":"0102030405060708","region":"eu868","antennaGainDbi10":9999}""", "antennaGainDbi10" },
        { "POST", "/api/applications", """{"name":""}""", "name" },
        { "POST", "/api/applications", "{\"name\":\"" + new string('x', 201) + "\"}", "200" },
        { "POST", "/api/applications", """{"name": """, "JSON" },
        { "POST", "/api/applications", "", "JSON" },
        { "POST", "/api/device-profiles", """{"name":"p","region":"eu868","macVersion":"2.0"}""", "macVersion" },
        { "GET", "/api/applications?pageSize=0", "", "pageSize" },
        { "GET", "/api/applications?pageSize=1001", "", "pageSize" },
        { "GET", "/api/applications?pageSize=ten", "", "pageSize" },
        { "GET", "/api/applications?pageToken=garbage!", "", "pageToken" },
        { "GET", "/api/devices/not-an-eui", "", "devEui" },
        { "POST", "/api/devices/{dev}/queue", """{"fPort":0,"data":"AQ=="}""", "fPort" },
        { "POST", "/api/devices/{dev}/queue", """{"fPort":224,"data":"AQ=="}""", "fPort" },
        { "POST", "/api/devices/{dev}/queue", """{"fPort":1,"data":"***"}""", "base64" },
        { "POST", "/api/devices/{dev}/queue", "{\"fPort\":1,\"data\":\"" + Convert.ToBase64String(new byte[243]) + "\"}", "242" },
        { "PUT", "/api/devices/{dev}/activation", """{"devAddr":"26011b","nwkSKey":"000102030405060708090a0b0c0d0e0f","appSKey":"000102030405060708090a0b0c0d0e0f"}""", "devAddr" },
        { "PUT", "/api/devices/{dev}/activation", """{"devAddr":"26011bda","nwkSKey":"0001","appSKey":"000102030405060708090a0b0c0d0e0f"}""", "nwkSKey" },
        { "PUT", "/api/devices/{dev}/activation", """{"devAddr":"26011bda","fNwkSIntKey":"000102030405060708090a0b0c0d0e0f","appSKey":"000102030405060708090a0b0c0d0e0f"}""", "1.0.x" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Invalid_requests_are_400_with_a_reason(string method, string path, string body, string reason)
    {
        var (_, key) = await server.CreateTenantAsync("validation");
        var a = await server.CreateObjectsAsync(key, TestKeys.NewEui());
        path = path.Replace("{dev}", a.DevEui, StringComparison.Ordinal);
        body = body.Replace("{app}", a.ApplicationId, StringComparison.Ordinal).Replace("{profile}", a.ProfileId, StringComparison.Ordinal);

        var (status, answer) = await server.SendAsync(new HttpMethod(method), path, key, method == "GET" ? null : body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, answer.GetProperty("error").GetString(), StringComparison.Ordinal);

        // A rejected key is never echoed back.
        Assert.DoesNotContain("000102030405060708090a0b0c0d0e0f", answer.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pagination_walks_25_items_in_pages_of_10_exactly_once()
    {
        var (_, key) = await server.CreateTenantAsync("paging");
        var created = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 25; i++)
        {
            var gatewayId = TestKeys.NewEui();
            Assert.Equal(HttpStatusCode.Created, (await server.PostAsync("/api/gateways", key, new { gatewayId, region = "eu868" })).Status);
            created.Add(gatewayId);
        }

        var seen = new List<string>();
        var pageSizes = new List<int>();
        string? token = null;
        do
        {
            var path = "/api/gateways?pageSize=10" + (token is null ? string.Empty : "&pageToken=" + Uri.EscapeDataString(token));
            var (status, page) = await server.GetAsync(path, key);
            Assert.Equal(HttpStatusCode.OK, status);
            var items = page.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("gatewayId").GetString()!).ToList();
            pageSizes.Add(items.Count);
            seen.AddRange(items);
            token = page.GetProperty("nextPageToken").GetString();
        }
        while (token is not null);

        Assert.Equal([10, 10, 5], pageSizes);
        Assert.Equal(25, seen.Distinct(StringComparer.Ordinal).Count());
        Assert.True(created.SetEquals(seen));
    }

    [Fact]
    public async Task Device_list_pages_through_an_application()
    {
        var (_, key) = await server.CreateTenantAsync("device-paging");
        var a = await server.CreateObjectsAsync(key, TestKeys.NewEui());
        for (var i = 0; i < 24; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await server.PostAsync("/api/devices", key, new { devEui = TestKeys.NewEui(), applicationId = a.ApplicationId, profileId = a.ProfileId })).Status);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (_, page) = await server.GetAsync($"/api/devices?applicationId={a.ApplicationId}&pageSize=10" + (token is null ? string.Empty : "&pageToken=" + token), key);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("devEui").GetString()!));
            token = page.GetProperty("nextPageToken").GetString();
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(25, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Abp_activation_saves_the_active_session_and_reactivation_resets_counters()
    {
        var (_, key) = await server.CreateTenantAsync("abp");
        var a = await server.CreateObjectsAsync(key, TestKeys.NewEui());
        var devEui = Eui64.Parse(a.DevEui);

        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync($"/api/devices/{a.DevEui}/activation", key)).Status);

        var request = new
        {
            devAddr = "26011BDA",
            nwkSKey = TestKeys.NwkSKeyHex,
            appSKey = TestKeys.AppSKeyHex,
            fCntUp = 41u,
            nFCntDown = 7u,
        };
        var (status, activation) = await server.PutAsync($"/api/devices/{a.DevEui}/activation", key, request);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("26011bda", activation.GetProperty("devAddr").GetString());
        Assert.DoesNotContain(TestKeys.NwkSKeyHex, activation.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.AppSKeyHex, activation.GetRawText(), StringComparison.Ordinal);

        var session = await server.Store.GetActiveSessionAsync(devEui, default);
        Assert.NotNull(session);
        Assert.Equal(DevAddr.Parse("26011bda"), session.DevAddr);
        Assert.Equal(AesKey.Parse(TestKeys.NwkSKeyHex), session.FNwkSIntKey);
        Assert.Equal(AesKey.Parse(TestKeys.NwkSKeyHex), session.NwkSEncKey);
        Assert.Equal(AesKey.Parse(TestKeys.AppSKeyHex), session.AppSKey);
        Assert.Equal(41u, session.FCntUp);
        Assert.Equal(7u, session.NFCntDown);
        Assert.False(session.Pending);
        Assert.Single(await server.Store.GetCandidatesAsync(session.DevAddr, 10, default));

        var (_, counters) = await server.GetAsync($"/api/devices/{a.DevEui}/frame-counters", key);
        Assert.Equal(41u, counters.GetProperty("fCntUp").GetUInt32());
        Assert.Equal(7u, counters.GetProperty("nFCntDown").GetUInt32());

        // Re-activation is the counter reset.
        Assert.Equal(HttpStatusCode.OK, (await server.PutAsync($"/api/devices/{a.DevEui}/activation", key, new { devAddr = "26011bdb", nwkSKey = TestKeys.NwkSKeyHex, appSKey = TestKeys.AppSKeyHex })).Status);
        session = await server.Store.GetActiveSessionAsync(devEui, default);
        Assert.Null(session!.FCntUp);
        Assert.Equal(0u, session.NFCntDown);
        Assert.Empty(await server.Store.GetCandidatesAsync(DevAddr.Parse("26011bda"), 10, default));
        var (_, read) = await server.GetAsync($"/api/devices/{a.DevEui}/activation", key);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("fCntUp").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/devices/{a.DevEui}/activation", key)).Status);
        Assert.Null(await server.Store.GetActiveSessionAsync(devEui, default));
    }

    [Fact]
    public async Task Abp_activation_of_a_1_1_device_takes_three_network_keys()
    {
        var (_, key) = await server.CreateTenantAsync("abp11");
        var a = await server.CreateObjectsAsync(key, TestKeys.NewEui(), macVersion: "1.1.0");
        var (status, body) = await server.PutAsync($"/api/devices/{a.DevEui}/activation", key, new { devAddr = "26011bdc", nwkSKey = TestKeys.NwkSKeyHex, appSKey = TestKeys.AppSKeyHex });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("1.1", body.GetProperty("error").GetString(), StringComparison.Ordinal);

        (status, _) = await server.PutAsync($"/api/devices/{a.DevEui}/activation", key, new
        {
            devAddr = "26011bdc",
            fNwkSIntKey = TestKeys.NwkSKeyHex,
            sNwkSIntKey = TestKeys.AppKeyHex,
            nwkSEncKey = TestKeys.AppSKeyHex,
            appSKey = TestKeys.AppSKeyHex,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var session = await server.Store.GetActiveSessionAsync(Eui64.Parse(a.DevEui), default);
        Assert.Equal(AesKey.Parse(TestKeys.AppKeyHex), session!.SNwkSIntKey);
        Assert.Equal(Devices.MacVersion.LoRaWan1_1_0, session.MacVersion);
    }

    [Fact]
    public async Task Enqueued_downlinks_reach_the_queue_store_and_flush_clears_them()
    {
        var (_, key) = await server.CreateTenantAsync("queue");
        var a = await server.CreateObjectsAsync(key, TestKeys.NewEui());
        var devEui = Eui64.Parse(a.DevEui);
        var payload = new byte[242];
        payload[0] = 0xAB;

        var (status, item) = await server.PostAsync($"/api/devices/{a.DevEui}/queue", key, new { fPort = 223, data = Convert.ToBase64String(payload), confirmed = true });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(HttpStatusCode.Created, (await server.PostAsync($"/api/devices/{a.DevEui}/queue", key, new { fPort = 1, data = "AQI=" })).Status);

        var queued = await server.Store.ListAsync(devEui, default);
        Assert.Equal(2, queued.Count);
        Assert.Equal(223, queued[0].FPort);
        Assert.True(queued[0].Confirmed);
        Assert.Equal(payload, queued[0].Data);
        Assert.Equal(item.GetProperty("id").GetString(), queued[0].Id.ToString("N", CultureInfo.InvariantCulture));
        Assert.Equal([1, 2], queued[1].Data);

        var (_, list) = await server.GetAsync($"/api/devices/{a.DevEui}/queue", key);
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
        Assert.Equal("AQI=", list.GetProperty("items")[1].GetProperty("data").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/devices/{a.DevEui}/queue", key)).Status);
        Assert.Empty(await server.Store.ListAsync(devEui, default));
    }

    [Fact]
    public async Task Recent_frames_come_from_the_pipeline_events_and_stay_with_the_owner()
    {
        var (_, keyA) = await server.CreateTenantAsync("frames A");
        var (_, keyB) = await server.CreateTenantAsync("frames B");
        var a = await server.CreateObjectsAsync(keyA, TestKeys.NewEui());
        var devEui = Eui64.Parse(a.DevEui);
        var device = (await server.Store.GetDeviceAsync(devEui, default))!;
        var profile = (await server.Store.GetProfileAsync(a.ProfileId, default))!;
        var sink = server.Services.GetRequiredService<IDeviceEventSink>();
        var forwardedBefore = server.Events.Uplinks;

        for (uint fCnt = 1; fCnt <= 25; fCnt++)
        {
            await sink.OnUplinkAsync(Uplink(device, profile, fCnt), default);
        }

        Assert.Equal(forwardedBefore + 25, server.Events.Uplinks);
        var (status, frames) = await server.GetAsync($"/api/devices/{a.DevEui}/frames", keyA);
        Assert.Equal(HttpStatusCode.OK, status);
        var items = frames.GetProperty("items");
        Assert.Equal(20, items.GetArrayLength());
        Assert.Equal(25u, items[0].GetProperty("fCnt").GetUInt32());
        Assert.Equal("uplink", items[0].GetProperty("kind").GetString());
        Assert.Equal(-7.5f, items[0].GetProperty("snr").GetSingle());
        Assert.Equal("AQID", items[0].GetProperty("data").GetString());
        Assert.Equal(2, items[0].GetProperty("gatewayCount").GetInt32());

        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync($"/api/devices/{a.DevEui}/frames", keyB)).Status);

        // Deleting the device forgets its history, so a later owner of the EUI never sees it.
        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/devices/{a.DevEui}", keyA)).Status);
        var b = await server.CreateObjectsAsync(keyB, a.DevEui);
        var (_, framesB) = await server.GetAsync($"/api/devices/{b.DevEui}/frames", keyB);
        Assert.Equal(0, framesB.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Disabled_devices_take_no_downlinks()
    {
        var (_, key) = await server.CreateTenantAsync("disabled");
        var a = await server.CreateObjectsAsync(key, TestKeys.NewEui());
        Assert.Equal(HttpStatusCode.OK, (await server.PutAsync($"/api/devices/{a.DevEui}", key, new { disabled = true })).Status);
        var (status, body) = await server.PostAsync($"/api/devices/{a.DevEui}/queue", key, new { fPort = 1, data = "AQ==" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("disabled", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenants_can_be_renamed_and_deleted_when_empty()
    {
        var (tenantId, key) = await server.CreateTenantAsync("to delete");
        var (status, renamed) = await server.PutAsync($"/api/tenants/{tenantId}", ApiTestServer.AdminKey, new { name = "renamed" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("renamed", renamed.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await server.PutAsync($"/api/tenants/{tenantId}", key, new { name = "self" })).Status);

        var (s1, app) = await server.PostAsync("/api/applications", key, new { name = "blocking" });
        Assert.Equal(HttpStatusCode.Created, s1);
        Assert.Equal(HttpStatusCode.Conflict, (await server.DeleteAsync($"/api/tenants/{tenantId}", ApiTestServer.AdminKey)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/applications/{app.GetProperty("id").GetString()}", key)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await server.DeleteAsync($"/api/tenants/{tenantId}", ApiTestServer.AdminKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync($"/api/tenants/{tenantId}", ApiTestServer.AdminKey)).Status);

        // Its keys went with it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.GetAsync("/api/applications", key)).Status);
    }

    [Fact]
    public async Task Keys_never_reach_the_log()
    {
        var (_, key) = await server.CreateTenantAsync("logging");
        var a = await server.CreateObjectsAsync(key, TestKeys.NewEui());
        await server.PutAsync($"/api/devices/{a.DevEui}/keys", key, new { nwkKey = TestKeys.AppSKeyHex });
        await server.PutAsync($"/api/devices/{a.DevEui}/activation", key, Abp("26011bdd"));
        await server.PutAsync($"/api/devices/{a.DevEui}/activation", key, new { devAddr = "26011bdd", nwkSKey = "zz" + TestKeys.NwkSKeyHex, appSKey = TestKeys.AppSKeyHex });
        await server.GetAsync("/api/applications", key + "x");

        var lines = server.Logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("activated device", StringComparison.Ordinal));
        string[] secrets = [key, key + "x", key[(key.LastIndexOf('.') + 1)..], ApiTestServer.AdminKey, TestKeys.AppKeyHex, TestKeys.NwkSKeyHex, TestKeys.AppSKeyHex];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static DeviceUplinkEvent Uplink(Devices.Device device, Devices.DeviceProfile profile, uint fCnt)
    {
        UplinkReception Reception(ulong gateway, float snr) => new()
        {
            GatewayId = new Eui64(gateway),
            PhyPayload = [],
            FrequencyHz = 868_100_000,
            Modulation = new LoRaModulation(7, 125_000),
            Rssi = -100,
            Snr = snr,
            ReceivedAt = DateTimeOffset.UtcNow,
        };

        return new DeviceUplinkEvent(
            Guid.NewGuid(), DateTimeOffset.UtcNow, device, profile, new DevAddr(0x26000001), Adr: true, DataRate: 5, fCnt, FPort: 2, Confirmed: false, [1, 2, 3],
            [Reception(1, -12f), Reception(2, -7.5f)]);
    }

    private static object Abp(string devAddr) => new { devAddr, nwkSKey = TestKeys.NwkSKeyHex, appSKey = TestKeys.AppSKeyHex };
}
