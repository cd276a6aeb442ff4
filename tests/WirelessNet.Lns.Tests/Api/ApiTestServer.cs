using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WirelessNet.Lns.Api;
using WirelessNet.Lns.Metering;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;

namespace WirelessNet.Lns.Tests.Api;

/// <summary>
/// A real Kestrel host on 127.0.0.1 with the management API over the in-memory store: one HTTP/1.1 port for JSON
/// and one HTTP/2-only port for gRPC (h2c with prior knowledge). Ports are chosen by the OS.
/// </summary>
public sealed class ApiTestServer : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789abcdef0123456789";

    private WebApplication? _app;

    public InMemoryStore Store { get; } = new();

    /// <summary>The meter the usage endpoints read (tests record charges into it directly).</summary>
    public InMemoryPacketMeter Meter { get; } = new();

    /// <summary>The host's device event sink, which the management API wraps to record recent frames.</summary>
    public CountingEventSink Events { get; } = new();

    /// <summary>Every log line the host wrote (Debug and up), to check that keys never reach a log.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public GrpcChannel Grpc { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();

        // Only this test's settings: the host's appsettings.json (copied next to the tests) and the environment
        // could add Kestrel endpoints on fixed ports.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Api:AdminKey"] = AdminKey });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(Logs);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddSingleton(Store);
        builder.Services.AddSingleton<IDeviceRegistry>(Store);
        builder.Services.AddSingleton<ISessionStore>(Store);
        builder.Services.AddSingleton<IDownlinkQueueStore>(Store);
        builder.Services.AddSingleton<IDeviceEventSink>(Events);
        builder.Services.AddSingleton<IPacketMeter>(Meter);
        builder.Services.AddManagementApi(builder.Configuration);

        _app = builder.Build();
        _app.MapManagementApi();
        await _app.StartAsync();

        // Addresses come in the order the endpoints were configured: HTTP/1.1 first, then HTTP/2.
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        Assert.Equal(2, addresses.Count);
        Http = new HttpClient { BaseAddress = new Uri(addresses[0]) };
        Grpc = GrpcChannel.ForAddress(addresses[1]);
    }

    public async Task DisposeAsync()
    {
        Grpc?.Dispose();
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public static Metadata Bearer(string key) => new() { { "authorization", "Bearer " + key } };

    /// <summary>Sends a JSON request; the answer's status and parsed body (default when empty).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (body is string raw)
        {
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json);
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? key) => SendAsync(HttpMethod.Get, path, key);

    public Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string? key, object? body) => SendAsync(HttpMethod.Post, path, key, body);

    public Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(string path, string? key, object? body) => SendAsync(HttpMethod.Put, path, key, body);

    public Task<(HttpStatusCode Status, JsonElement Body)> DeleteAsync(string path, string? key) => SendAsync(HttpMethod.Delete, path, key);

    /// <summary>Creates a tenant and one API key for it with the admin key; the tenant id and the plaintext key.</summary>
    public async Task<(string TenantId, string Key)> CreateTenantAsync(string name)
    {
        var (status, tenant) = await PostAsync("/api/tenants", AdminKey, new { name });
        Assert.Equal(HttpStatusCode.Created, status);
        var tenantId = tenant.GetProperty("id").GetString()!;
        var (keyStatus, apiKey) = await PostAsync($"/api/tenants/{tenantId}/api-keys", AdminKey, new { name = name + " key" });
        Assert.Equal(HttpStatusCode.Created, keyStatus);
        return (tenantId, apiKey.GetProperty("key").GetString()!);
    }

    /// <summary>An application, an EU868 profile and a device (with an AppKey) of the tenant.</summary>
    public async Task<TenantObjects> CreateObjectsAsync(string key, string devEui, string? macVersion = null)
    {
        var (s1, app) = await PostAsync("/api/applications", key, new { name = "app" });
        Assert.Equal(HttpStatusCode.Created, s1);
        var (s2, profile) = await PostAsync("/api/device-profiles", key, new { name = "profile", region = "eu868", macVersion = macVersion ?? "1.0.4" });
        Assert.Equal(HttpStatusCode.Created, s2);
        var applicationId = app.GetProperty("id").GetString()!;
        var profileId = profile.GetProperty("id").GetString()!;
        var (s3, _) = await PostAsync("/api/devices", key, new { devEui, applicationId, profileId, name = "dev", appKey = TestKeys.AppKeyHex });
        Assert.Equal(HttpStatusCode.Created, s3);
        return new TenantObjects(applicationId, profileId, devEui);
    }
}

public sealed record TenantObjects(string ApplicationId, string ProfileId, string DevEui);

internal static class TestKeys
{
    public const string AppKeyHex = "2b7e151628aed2a6abf7158809cf4f3c";
    public const string NwkSKeyHex = "000102030405060708090a0b0c0d0e0f";
    public const string AppSKeyHex = "f0e0d0c0b0a090807060504030201000";

    private static long _next;

    /// <summary>An EUI unique in this process, so tests sharing a server never collide.</summary>
    public static string NewEui() => (0x70B3_D5E7_5000_0000UL + (ulong)Interlocked.Increment(ref _next)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Stands in for the host's application event forwarder; counts what reaches it.</summary>
public sealed class CountingEventSink : IDeviceEventSink
{
    private int _uplinks;

    public int Uplinks => Volatile.Read(ref _uplinks);

    public ValueTask OnUplinkAsync(DeviceUplinkEvent uplink, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _uplinks);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnJoinAsync(DeviceJoinEvent join, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnTxAckAsync(DeviceTxAckEvent txAck, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnAckAsync(DeviceAckEvent ack, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask OnLogAsync(DeviceLogEvent log, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>Keeps every formatted log line, with its structured values and exception text.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner._lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {values} {exception}");
        }
    }
}
