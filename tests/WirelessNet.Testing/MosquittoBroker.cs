using System.Globalization;
using System.Text;
using MQTTnet;

namespace WirelessNet.Testing;

/// <summary>A real mosquitto broker listening on 127.0.0.1 only, with a generated config in a temporary directory.</summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly MosquittoOptions _options;
    private readonly TemporaryDirectory _directory;
    private readonly ServerProcessHost _host;

    private MosquittoBroker(MosquittoOptions options, string executable, TemporaryDirectory directory)
    {
        _options = options;
        _directory = directory;
        _host = new ServerProcessHost(
            "mosquitto",
            executable,
            directory.Path,
            WriteConfigFor,
            ProbeAsync,
            options.StartupTimeout,
            options.StopGracePeriod);
    }

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The MQTT listener's port; it stays the same across restarts.</summary>
    public int Port => _host.Port;

    /// <summary>Path of the generated mosquitto.conf.</summary>
    public string ConfigPath => Path.Combine(_directory.Path, "mosquitto.conf");

    /// <summary>True while the broker process runs.</summary>
    public bool IsRunning => _host.IsRunning;

    /// <summary>Process id of the current broker process.</summary>
    public int ProcessId => _host.ProcessId;

    /// <summary>
    /// Starts a broker on a free port and waits until it accepts an MQTT connection.
    /// Throws <see cref="RequiredToolMissingException"/> when mosquitto is not installed.
    /// </summary>
    public static async Task<MosquittoBroker> StartNewAsync(MosquittoOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MosquittoOptions();
        foreach (var user in options.Users.Keys)
        {
            if (user.Length == 0 || user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException($"MQTT user name '{user}' must be non-empty without ':' or white space.", nameof(options));
            }
        }

        var executable = ExecutableLocator.Require("mosquitto", "mosquitto", options.ExecutablePath);
        var broker = new MosquittoBroker(options, executable, TemporaryDirectory.Create("wirelessnet-mosquitto-"));
        try
        {
            if (options.Users.Count > 0)
            {
                await broker.WritePasswordFileAsync(cancellationToken).ConfigureAwait(false);
            }

            await broker._host.StartOnFreePortAsync(cancellationToken).ConfigureAwait(false);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the broker; the port is kept for <see cref="StartAsync"/>.</summary>
    public Task StopAsync(ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default) =>
        _host.StopAsync(mode, cancellationToken);

    /// <summary>Starts a stopped broker again on the same port.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    /// <summary>Stops and starts the broker on the same port (sessions and retained messages are lost: persistence is off).</summary>
    public Task RestartAsync(ServerStopMode mode = ServerStopMode.Graceful, CancellationToken cancellationToken = default) =>
        _host.RestartAsync(mode, cancellationToken);

    /// <summary>MQTTnet client options for this broker (with the first configured user's credentials, if any).</summary>
    public MqttClientOptionsBuilder CreateClientOptions(string? clientId = null)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(Host, Port)
            .WithClientId(clientId ?? "wirelessnet-test-" + Guid.NewGuid().ToString("N"))
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (_options.Users.Count > 0)
        {
            var (user, password) = _options.Users.First();
            builder = builder.WithCredentials(user, password);
        }

        return builder;
    }

    /// <summary>Exit code, command line and output tails of the current (or last) broker process, for diagnostics.</summary>
    public string DescribeOutput() => _host.DescribeOutput();

    /// <summary>Kills the broker and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
        _directory.Dispose();
    }

    private string PasswordFilePath => Path.Combine(_directory.Path, "passwd");

    private async Task WritePasswordFileAsync(CancellationToken cancellationToken)
    {
        // mosquitto 2 only accepts hashed passwords. One "mosquitto_passwd -b" call per user rather than "-U" on a plain
        // file: -U mangles passwords that contain ':'.
        var passwordTool = ExecutableLocator.Require("mosquitto_passwd", "mosquitto");
        var first = true;
        foreach (var (user, password) in _options.Users)
        {
            List<string> arguments = first ? ["-c", "-b"] : ["-b"];
            arguments.AddRange([PasswordFilePath, user, password]);
            first = false;
            var result = await ManagedProcess.RunAsync(passwordTool, arguments, TimeSpan.FromSeconds(30), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InfrastructureStartException(
                    $"mosquitto_passwd -b for user '{user}' failed with exit code {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardErrorTail}");
            }
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(PasswordFilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private IReadOnlyList<string> WriteConfigFor(int port)
    {
        var config = new StringBuilder()
            .AppendLine("# Generated by WirelessNet.Testing for one test run.")
            .AppendLine(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1")
            .AppendLine(_options.Users.Count > 0 ? "allow_anonymous false" : "allow_anonymous true")
            .AppendLine("persistence false")
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("log_type information")
            .AppendLine("connection_messages true");
        if (_options.Users.Count > 0)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"password_file {PasswordFilePath}");
        }

        // Started as root, mosquitto drops to the "mosquitto" user, which cannot read our 0700 temp directory;
        // naming the current user keeps it as it is (the option is ignored when not root).
        if (Environment.UserName == "root")
        {
            config.AppendLine("user root");
        }

        foreach (var line in _options.ExtraConfigLines)
        {
            config.AppendLine(line);
        }

        File.WriteAllText(ConfigPath, config.ToString().ReplaceLineEndings("\n"), new UTF8Encoding(false));
        return ["-c", ConfigPath];
    }

    private async Task<bool> ProbeAsync(int port, CancellationToken cancellationToken)
    {
        // A TCP connect first: cheap, and it keeps MQTTnet's connection errors out of the common "not listening yet" case.
        if (!await FreeTcpPort.CanConnectAsync(port, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // Then a real MQTT CONNECT/CONNACK, so "ready" means the broker accepts clients (and the credentials work).
        // MQTTnet 5 reports a refused CONNACK in the result instead of throwing.
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(CreateClientOptions("wirelessnet-readiness-probe").Build(), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"mosquitto refused the readiness probe's CONNECT: {result.ResultCode} {result.ReasonString}");
        }

        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken).ConfigureAwait(false);
        return true;
    }
}
