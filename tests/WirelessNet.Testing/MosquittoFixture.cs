using Xunit;

namespace WirelessNet.Testing;

/// <summary>
/// xunit fixture (class or collection) that starts a real mosquitto broker on a free loopback port.
/// Use the public parameterless constructor, or derive and call the protected one for other settings
/// (xunit fixtures may only have one public constructor, hence the class is not sealed).
/// </summary>
public class MosquittoFixture : IAsyncLifetime
{
    private readonly MosquittoOptions _options;
    private MosquittoBroker? _broker;

    /// <summary>Anonymous access, no persistence.</summary>
    public MosquittoFixture()
        : this(new MosquittoOptions())
    {
    }

    /// <summary>For derived fixtures with other settings (e.g. a password file).</summary>
    protected MosquittoFixture(MosquittoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The running broker.</summary>
    public MosquittoBroker Broker => _broker ?? throw new InvalidOperationException("The Mosquitto fixture has not been initialized.");

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => Broker.Host;

    /// <summary>The broker's MQTT port.</summary>
    public int Port => Broker.Port;

    /// <inheritdoc />
    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartNewAsync(_options).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}
