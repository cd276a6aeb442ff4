using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Applications.Outbox;

namespace WirelessNet.Lns.Tests.Mqtt.Outbox;

public sealed class ApplicationEventOutboxRelayTests
{
    private readonly ScriptedPublisher _broker = new();
    private readonly MqttMetrics _metrics = new();
    private readonly InMemoryApplicationEventOutbox _outbox = new(Options.Create(new ApplicationEventOutboxOptions()));

    private ApplicationEventOutboxRelay NewRelay(IApplicationEventOutbox? outbox = null) =>
        new(outbox ?? _outbox, _broker, Options.Create(new ApplicationEventOutboxOptions { BatchSize = 2 }), _metrics, NullLogger<ApplicationEventOutboxRelay>.Instance);

    [Fact]
    public async Task Publishes_directly_while_the_broker_is_connected()
    {
        using var relay = NewRelay();

        await relay.PublishAsync("application/a/device/1/event/up", Payload(1), "application_up", default);

        Assert.Equal(["application/a/device/1/event/up"], _broker.Published.Select(p => p.Topic));
        Assert.Equal(0, await _outbox.CountAsync(default));
    }

    [Fact]
    public async Task Keeps_events_while_the_broker_is_away_and_publishes_them_in_order_once_it_is_back()
    {
        using var relay = NewRelay();
        _broker.Connected = false;
        for (var i = 1; i <= 5; i++)
        {
            await relay.PublishAsync("t/" + i, Payload(i), "application_up", default);
        }

        Assert.Empty(_broker.Published);
        Assert.Equal(5, await _outbox.CountAsync(default));
        Assert.Equal(0, await relay.DrainAsync(default));

        // Back, but older events wait: a new one goes behind them, not ahead.
        _broker.Connected = true;
        await relay.PublishAsync("t/6", Payload(6), "application_up", default);
        Assert.Empty(_broker.Published);

        Assert.Equal(6, await relay.DrainAsync(default));
        Assert.Equal(["t/1", "t/2", "t/3", "t/4", "t/5", "t/6"], _broker.Published.Select(p => p.Topic));
        Assert.Equal(6, _broker.Published.Select(p => Encoding.ASCII.GetString(p.Payload)).Distinct().Count());
        Assert.Equal(0, await _outbox.CountAsync(default));

        // Drained: direct again.
        await relay.PublishAsync("t/7", Payload(7), "application_up", default);
        Assert.Equal("t/7", _broker.Published[^1].Topic);
        Assert.Equal(0, await _outbox.CountAsync(default));
    }

    [Fact]
    public async Task A_broker_lost_in_the_middle_of_a_drain_keeps_what_was_not_published()
    {
        using var relay = NewRelay();
        _broker.Connected = false;
        for (var i = 1; i <= 4; i++)
        {
            await relay.PublishAsync("t/" + i, Payload(i), "application_up", default);
        }

        _broker.Connected = true;
        _broker.DisconnectAfter = 3;
        Assert.Equal(3, await relay.DrainAsync(default));
        Assert.Equal(1, await _outbox.CountAsync(default));

        _broker.Connected = true;
        Assert.Equal(1, await relay.DrainAsync(default));
        Assert.Equal(["t/1", "t/2", "t/3", "t/4"], _broker.Published.Select(p => p.Topic));
    }

    [Fact]
    public async Task An_event_the_broker_refuses_is_dropped_not_retried_forever()
    {
        using var relay = NewRelay();
        _broker.Connected = false;
        await relay.PublishAsync("refused/1", Payload(1), "application_up", default);
        await relay.PublishAsync("t/2", Payload(2), "application_up", default);

        _broker.Connected = true;
        _broker.Refuse = topic => topic.StartsWith("refused/", StringComparison.Ordinal);
        Assert.Equal(2, await relay.DrainAsync(default));

        Assert.Equal(["t/2"], _broker.Published.Select(p => p.Topic));
        Assert.Equal(0, await _outbox.CountAsync(default));
    }

    [Fact]
    public async Task The_in_memory_outbox_is_bounded_and_drops_the_oldest()
    {
        var small = new InMemoryApplicationEventOutbox(Options.Create(new ApplicationEventOutboxOptions { MaxEvents = 3 }));
        using var relay = NewRelay(small);
        _broker.Connected = false;
        for (var i = 1; i <= 5; i++)
        {
            await relay.PublishAsync("t/" + i, Payload(i), "application_up", default);
        }

        Assert.Equal(3, await small.CountAsync(default));
        Assert.Equal(2, small.Dropped);
        _broker.Connected = true;
        await relay.DrainAsync(default);
        Assert.Equal(["t/3", "t/4", "t/5"], _broker.Published.Select(p => p.Topic));
    }

    private static byte[] Payload(int i) => Encoding.ASCII.GetBytes("{\"n\":" + i + "}");

    /// <summary>A broker connection whose availability the test decides.</summary>
    private sealed class ScriptedPublisher : IMqttMessagePublisher
    {
        public bool Connected { get; set; } = true;

        /// <summary>Disconnects after this many more successful publishes.</summary>
        public int? DisconnectAfter { get; set; }

        public Func<string, bool> Refuse { get; set; } = _ => false;

        public List<(string Topic, byte[] Payload)> Published { get; } = [];

        public bool IsConnected => Connected;

        public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, string type, CancellationToken cancellationToken)
        {
            if (DisconnectAfter == 0)
            {
                Connected = false;
                DisconnectAfter = null;
            }

            if (!Connected)
            {
                throw new MqttNotConnectedException();
            }

            if (Refuse(topic))
            {
                throw new InvalidOperationException("The MQTT broker refused '" + topic + "': NotAuthorized");
            }

            Published.Add((topic, payload.ToArray()));
            DisconnectAfter--;
            return ValueTask.CompletedTask;
        }
    }
}
