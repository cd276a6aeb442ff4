using WirelessNet.Lns.Mqtt;
using WirelessNet.Lns.Mqtt.Gateways;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Tests.Mqtt;

public sealed class GatewayTopicsTests
{
    private static readonly Eui64 GatewayId = Eui64.Parse("0016c001f153a14c");

    [Theory]
    [InlineData("eu868/gateway/0016c001f153a14c/event/up", GatewayTopicKind.Event, "up")]
    [InlineData("eu868/gateway/0016c001f153a14c/event/stats", GatewayTopicKind.Event, "stats")]
    [InlineData("eu868/gateway/0016c001f153a14c/event/ack", GatewayTopicKind.Event, "ack")]
    [InlineData("eu868/gateway/0016c001f153a14c/state/conn", GatewayTopicKind.State, "conn")]
    [InlineData("eu868/gateway/0016c001f153a14c/command/down", GatewayTopicKind.Command, "down")]
    public void Parses_the_bridge_topics(string topic, GatewayTopicKind kind, string type)
    {
        Assert.True(GatewayTopics.Default.TryParse(topic, out var parsed, out var rejection), rejection?.ToString());
        Assert.Equal(new GatewayTopic("eu868", GatewayId, kind, type), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("us915_0/gateway/0016c001f153a14c/event/up")] // prefix not configured
    [InlineData("eu868/gateway/0016C001F153A14C/event/up")] // upper case
    [InlineData("eu868/gateway/0016c001f153a14/event/up")] // 15 digits
    [InlineData("eu868/gateway/0016c001f153a14c0/event/up")] // 17 digits
    [InlineData("eu868/gateway/00:16:c0:01:f1:53:a1:4c/event/up")]
    [InlineData("eu868/gateway/0016c001f153a14g/event/up")]
    [InlineData("eu868/gateway/0016c001f153a14c/event")]
    [InlineData("eu868/gateway/0016c001f153a14c/event/")]
    [InlineData("eu868/gateway/0016c001f153a14c/event/up/extra")]
    [InlineData("eu868/gateways/0016c001f153a14c/event/up")]
    [InlineData("eu868/gateway/0016c001f153a14c/status/up")]
    [InlineData("eu868gateway/0016c001f153a14c/event/up")]
    [InlineData("eu868")]
    public void Rejects_anything_else_with_a_reason(string topic)
    {
        Assert.False(GatewayTopics.Default.TryParse(topic, out _, out var rejection));
        Assert.Equal(MqttRejectReasons.InvalidTopic, rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Detail));
    }

    [Fact]
    public void Several_prefixes_including_nested_ones()
    {
        var topics = new GatewayTopics(["eu868", "eu868/site2", "us915_0"]);

        Assert.True(topics.TryParse("us915_0/gateway/0016c001f153a14c/event/up", out var us, out _));
        Assert.Equal("us915_0", us.Prefix);
        Assert.True(topics.TryParse("eu868/site2/gateway/0016c001f153a14c/event/up", out var nested, out _));
        Assert.Equal("eu868/site2", nested.Prefix);
        Assert.Equal(["eu868", "eu868/site2", "us915_0"], topics.Prefixes);
    }

    [Fact]
    public void Formats_topics()
    {
        Assert.Equal("eu868/gateway/0016c001f153a14c/command/down", GatewayTopics.CommandTopic("eu868", GatewayId));
        Assert.Equal("eu868/gateway/0016c001f153a14c/event/up", GatewayTopics.EventTopic("eu868", GatewayId, "up"));
        Assert.Equal("eu868/gateway/0016c001f153a14c/state/conn", GatewayTopics.StateTopic("eu868", GatewayId));
    }

    [Fact]
    public void Subscription_filters_plain_and_shared()
    {
        var topics = new GatewayTopics(["eu868", "us915_0"]);

        Assert.Equal(["eu868/gateway/+/event/+", "us915_0/gateway/+/event/+"], topics.EventFilters());
        Assert.Equal(
            ["$share/wirelessnet/eu868/gateway/+/event/+", "$share/wirelessnet/us915_0/gateway/+/event/+"],
            topics.EventFilters("wirelessnet"));

        // States are retained, and brokers do not deliver retained messages to shared subscriptions.
        Assert.Equal(["eu868/gateway/+/state/+", "us915_0/gateway/+/state/+"], topics.StateFilters());
    }

    [Theory]
    [InlineData("")]
    [InlineData("eu+868")]
    [InlineData("eu868/#")]
    [InlineData("/eu868")]
    [InlineData("eu868/")]
    [InlineData("a//b")]
    [InlineData("$SYS")]
    public void Refuses_invalid_prefixes(string prefix) =>
        Assert.Throws<ArgumentException>(() => new GatewayTopics([prefix]));

    [Fact]
    public void No_prefix_means_the_default_one() => Assert.Equal(["eu868"], new GatewayTopics([]).Prefixes);
}
