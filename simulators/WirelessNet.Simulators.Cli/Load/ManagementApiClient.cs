using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WirelessNet.Simulators.Cli.Load;

/// <summary>The part of the server's JSON management API the simulators use to provision what they simulate.</summary>
internal sealed class ManagementApiClient(HttpClient http) : IDisposable
{
    private string? _tenantKey;

    public static ManagementApiClient Create(Uri server, string adminKey)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return new ManagementApiClient(http);
    }

    /// <summary>Creates a tenant and a key for it; later calls use the tenant key.</summary>
    public async Task CreateTenantAsync(string name, CancellationToken cancellationToken)
    {
        var tenant = await PostAsync("api/tenants", new JsonObject { ["name"] = name }, cancellationToken).ConfigureAwait(false);
        var key = await PostAsync($"api/tenants/{tenant["id"]}/api-keys", new JsonObject { ["name"] = name + "-sim" }, cancellationToken).ConfigureAwait(false);
        _tenantKey = key["key"]!.GetValue<string>();
    }

    public async Task<string> CreateApplicationAsync(string name, CancellationToken cancellationToken) =>
        (await PostAsync("api/applications", new JsonObject { ["name"] = name }, cancellationToken).ConfigureAwait(false))["id"]!.GetValue<string>();

    public async Task<string> CreateAbpProfileAsync(string name, string region, CancellationToken cancellationToken) =>
        (await PostAsync("api/device-profiles", new JsonObject { ["name"] = name, ["region"] = region, ["macVersion"] = "1.0.4", ["supportsOtaa"] = false }, cancellationToken).ConfigureAwait(false))["id"]!.GetValue<string>();

    public Task CreateGatewayAsync(string gatewayId, string region, CancellationToken cancellationToken) =>
        PostAsync("api/gateways", new JsonObject { ["gatewayId"] = gatewayId, ["region"] = region, ["name"] = "sim-" + gatewayId }, cancellationToken);

    public async Task CreateAbpDeviceAsync(string devEui, string applicationId, string profileId, string devAddr, string nwkSKey, string appSKey, CancellationToken cancellationToken)
    {
        await PostAsync("api/devices", new JsonObject { ["devEui"] = devEui, ["applicationId"] = applicationId, ["profileId"] = profileId, ["name"] = "sim-" + devEui }, cancellationToken).ConfigureAwait(false);
        await SendAsync(HttpMethod.Put, $"api/devices/{devEui}/activation", new JsonObject { ["devAddr"] = devAddr, ["nwkSKey"] = nwkSKey, ["appSKey"] = appSKey }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> CreateOtaaProfileAsync(string name, string region, string macVersion, CancellationToken cancellationToken) =>
        (await PostAsync("api/device-profiles", new JsonObject { ["name"] = name, ["region"] = region, ["macVersion"] = macVersion, ["supportsOtaa"] = true }, cancellationToken).ConfigureAwait(false))["id"]!.GetValue<string>();

    /// <summary>A gateway with its position and antenna (gain in dBi; the API takes tenths). False when its EUI exists already.</summary>
    /// <param name="heliumAddress">For a Helium hotspot: its key (base58), from which the server derives the id.</param>
    public Task<bool> TryCreateGatewayAsync(string gatewayId, string region, double latitude, double longitude, double antennaGainDbi, double elevationMetres, CancellationToken cancellationToken, string? heliumAddress = null) =>
        TryCreateAsync(
            "api/gateways",
            new JsonObject
            {
                ["gatewayId"] = gatewayId,
                ["heliumAddress"] = heliumAddress,
                ["region"] = region,
                ["name"] = "sim-" + gatewayId,
                ["location"] = new JsonObject { ["latitude"] = latitude, ["longitude"] = longitude, ["altitude"] = elevationMetres },
                ["antennaGainDbi10"] = (int)Math.Round(antennaGainDbi * 10),
                ["elevationMetres"] = (int)Math.Round(Math.Clamp(elevationMetres, 0, 1000)),
            },
            cancellationToken);

    /// <summary>False when a device with this EUI exists already (EUIs are one namespace across tenants).</summary>
    public Task<bool> TryCreateOtaaDeviceAsync(string devEui, string applicationId, string profileId, string joinEui, string appKey, string? nwkKey, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["devEui"] = devEui, ["applicationId"] = applicationId, ["profileId"] = profileId, ["name"] = "sim-" + devEui, ["joinEui"] = joinEui, ["appKey"] = appKey };
        if (nwkKey is not null)
        {
            body["nwkKey"] = nwkKey;
        }

        return TryCreateAsync("api/devices", body, cancellationToken);
    }

    private async Task<bool> TryCreateAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        try
        {
            await PostAsync(path, body, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    private Task<JsonNode> PostAsync(string path, JsonObject body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (_tenantKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tenantKey);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} → {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text) ?? throw new JsonException("empty JSON");
    }

    public void Dispose() => http.Dispose();
}
