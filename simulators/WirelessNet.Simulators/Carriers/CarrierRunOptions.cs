namespace WirelessNet.Simulators.Carriers;

/// <summary>How a world's carrier radios behave during a run.</summary>
public sealed class CarrierRunOptions
{
    /// <summary>How long the radios keep reporting.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Mean time between a carrier router's session batches (each wait is drawn ±50 % around it).</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Session records per batch (standalone sessions, RADIUS starts, interims and stops).</summary>
    public int RecordsPerBatch { get; set; } = 20;

    /// <summary>Share of sessions reported RADIUS-style (start, interims, stop).</summary>
    public double AccountingShare { get; set; } = 0.3;

    /// <summary>Time between heartbeats of every radio (the server counts the first of each hour).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time between speed tests of every radio.</summary>
    public TimeSpan SpeedtestInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of answered batches sent again, as a router does that lost the answer (they must come back
    /// already accepted).</summary>
    public double LostAnswerShare { get; set; } = 0.05;

    /// <summary>Attempts per batch before the router gives it up (an unanswered batch is not acknowledged: it is sent again).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before sending an unacknowledged batch again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed of the traffic.</summary>
    public int Seed { get; set; } = 1;
}
