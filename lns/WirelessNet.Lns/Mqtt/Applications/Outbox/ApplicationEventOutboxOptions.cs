namespace WirelessNet.Lns.Mqtt.Applications.Outbox;

/// <summary>The application event outbox, bound from <c>Mqtt:Outbox</c>.</summary>
public sealed class ApplicationEventOutboxOptions
{
    public const string Section = "Mqtt:Outbox";

    /// <summary>
    /// Most events kept while the broker is away; beyond it the oldest are dropped (Redis: trimmed approximately).
    /// About 1 KB each.
    /// </summary>
    public int MaxEvents { get; set; } = 1_000_000;

    /// <summary>How often the relay looks for waiting events (it is also woken at once when one is added).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Events published per outbox read.</summary>
    public int BatchSize { get; set; } = 200;
}
