using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace WirelessNet.Lns.Mqtt.Broker;

/// <summary>
/// An MQTTnet broker hosted in the server process, so a single binary is enough for gateways running the ChirpStack
/// Gateway Bridge. It does not support shared subscriptions; the bridge then falls back to plain ones.
/// </summary>
public sealed class EmbeddedMqttBroker : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly EmbeddedBrokerOptions _options;
    private readonly ILogger<EmbeddedMqttBroker> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MqttServer? _server;
    private int _disposed;

    public EmbeddedMqttBroker(IOptions<EmbeddedBrokerOptions> options, ILogger<EmbeddedMqttBroker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        if (_options.Port is <= 0 or > 65535)
        {
            throw new ArgumentException("Mqtt:Broker:Port must be between 1 and 65535.", nameof(options));
        }
    }

    public bool IsRunning => _server?.IsStarted == true;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            MqttLog.BrokerDisabled(_logger);
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_server is not null)
            {
                return;
            }

            var address = ResolveAddress(_options.Host);
            var factory = new MqttServerFactory();
            var builder = factory.CreateServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointPort(_options.Port)

                // Restarting on the same port must not fail on connections still in TIME_WAIT.
                .WithDefaultEndpointReuseAddress();

            // MQTTnet listens on both address families unless told otherwise; bind only the configured one.
            builder = address.AddressFamily == AddressFamily.InterNetworkV6
                ? builder.WithDefaultEndpointBoundIPAddress(IPAddress.None).WithDefaultEndpointBoundIPV6Address(address)
                : builder.WithDefaultEndpointBoundIPAddress(address).WithDefaultEndpointBoundIPV6Address(IPAddress.None);

            var server = factory.CreateMqttServer(builder.Build());
            server.ValidatingConnectionAsync += ValidateConnectionAsync;
            await server.StartAsync().ConfigureAwait(false);
            _server = server;

            var authenticated = !string.IsNullOrEmpty(_options.Username);
            MqttLog.BrokerStarted(_logger, _options.Host, _options.Port, authenticated ? "required" : "off");
            if (!authenticated && !IPAddress.IsLoopback(address))
            {
                MqttLog.BrokerUnauthenticated(_logger, _options.Host);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_server is null)
            {
                return;
            }

            var server = _server;
            _server = null;
            server.ValidatingConnectionAsync -= ValidateConnectionAsync;
            await server.StopAsync().ConfigureAwait(false);
            server.Dispose();
            MqttLog.BrokerStopped(_logger);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>For containers disposed synchronously: closes the listener and connections without a graceful stop.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null)
        {
            server.ValidatingConnectionAsync -= ValidateConnectionAsync;
            server.Dispose();
        }

        _gate.Dispose();
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs args)
    {
        if (string.IsNullOrEmpty(_options.Username))
        {
            return Task.CompletedTask;
        }

        // Constant-time comparison: the broker may be reachable by untrusted hosts.
        var userOk = FixedTimeEquals(args.UserName, _options.Username);
        var passwordOk = FixedTimeEquals(args.Password, _options.Password ?? string.Empty);
        if (!(userOk && passwordOk))
        {
            args.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            MqttLog.BrokerRefusedClient(_logger, args.ClientId ?? string.Empty);
        }

        return Task.CompletedTask;
    }

    private static bool FixedTimeEquals(string? actual, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(actual ?? string.Empty)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static IPAddress ResolveAddress(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out var address)
            ? address
            : throw new InvalidOperationException($"Mqtt:Broker:Host '{host}' must be an IP address or 'localhost'.");
    }
}
