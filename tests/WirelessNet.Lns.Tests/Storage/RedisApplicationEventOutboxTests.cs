using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Applications.Outbox;
using WirelessNet.Lns.Storage.Redis;

namespace WirelessNet.Lns.Tests.Storage;

/// <summary>The outbox on a real redis-server: shared by instances, exclusive draining, surviving the appender.</summary>
[Collection(RedisStoreCollection.Name)]
public sealed class RedisApplicationEventOutboxTests(RedisStoreFixture redis)
{
    private readonly RedisStoreOptions _store = new() { KeyPrefix = "outbox" + Guid.NewGuid().ToString("N")[..8] };

    private RedisApplicationEventOutbox NewOutbox() => new(redis.Connection, _store, new ApplicationEventOutboxOptions());

    [Fact]
    public async Task Keeps_events_in_order_until_deleted()
    {
        var outbox = NewOutbox();
        for (var i = 1; i <= 3; i++)
        {
            await outbox.AppendAsync(new OutboxMessage("t/" + i, Encoding.ASCII.GetBytes("p" + i), "application_up"), default);
        }

        var first = await outbox.ReadAsync(2, default);
        Assert.Equal(["t/1", "t/2"], first.Select(e => e.Message.Topic));
        Assert.Equal("p1", Encoding.ASCII.GetString(first[0].Message.Payload));
        Assert.Equal("application_up", first[0].Message.Type);

        await outbox.DeleteAsync([first[0].Id, first[1].Id], default);
        Assert.Equal(1, await outbox.CountAsync(default));
        Assert.Equal(["t/3"], (await outbox.ReadAsync(10, default)).Select(e => e.Message.Topic));
    }

    [Fact]
    public async Task Only_one_owner_holds_the_lease_until_it_expires()
    {
        var a = NewOutbox();
        var b = NewOutbox();

        Assert.True(await a.TryLeaseAsync("a", TimeSpan.FromSeconds(2), default));
        Assert.False(await b.TryLeaseAsync("b", TimeSpan.FromSeconds(30), default));
        Assert.True(await a.TryLeaseAsync("a", TimeSpan.FromSeconds(2), default));

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.True(await b.TryLeaseAsync("b", TimeSpan.FromSeconds(30), default));
        Assert.False(await a.TryLeaseAsync("a", TimeSpan.FromSeconds(30), default));
    }

    [Fact]
    public async Task Events_held_by_a_stopped_instance_are_published_by_another()
    {
        var metrics = new MqttMetrics();
        var options = Options.Create(new ApplicationEventOutboxOptions());
        var away = new RecordingPublisher { Connected = false };
        using (var stopped = new ApplicationEventOutboxRelay(NewOutbox(), away, options, metrics, NullLogger<ApplicationEventOutboxRelay>.Instance))
        {
            await stopped.PublishAsync("application/a/device/01/event/up", Encoding.ASCII.GetBytes("{}"), "application_up", default);
            await stopped.PublishAsync("application/a/device/01/event/up", Encoding.ASCII.GetBytes("{\"fCnt\":2}"), "application_up", default);
        }

        var connected = new RecordingPublisher();
        using var other = new ApplicationEventOutboxRelay(NewOutbox(), connected, options, metrics, NullLogger<ApplicationEventOutboxRelay>.Instance);
        Assert.Equal(2, await other.DrainAsync(default));
        Assert.Equal(["{}", "{\"fCnt\":2}"], connected.Published.Select(p => Encoding.ASCII.GetString(p)));
        Assert.Equal(0, await NewOutbox().CountAsync(default));
    }

    private sealed class RecordingPublisher : IMqttMessagePublisher
    {
        public bool Connected { get; set; } = true;

        public List<byte[]> Published { get; } = [];

        public bool IsConnected => Connected;

        public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, string type, CancellationToken cancellationToken)
        {
            if (!Connected)
            {
                throw new MqttNotConnectedException();
            }

            Published.Add(payload.ToArray());
            return ValueTask.CompletedTask;
        }
    }
}
