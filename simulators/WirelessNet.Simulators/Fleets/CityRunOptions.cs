namespace WirelessNet.Simulators.Fleets;

/// <summary>How a simulated city behaves during a run.</summary>
public sealed class CityRunOptions
{
    /// <summary>How long devices keep transmitting.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Mean time between a device's uplinks (each wait is drawn ±50 % around it).</summary>
    public TimeSpan UplinkInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Share of sensor uplinks sent confirmed.</summary>
    public double ConfirmedShare { get; set; } = 0.1;

    /// <summary>FPort of mapper GPS uplinks (the server's <c>Coverage:MapperFPorts</c>).</summary>
    public int MapperFPort { get; set; } = 2;

    /// <summary>FPort of ordinary sensor uplinks.</summary>
    public int SensorFPort { get; set; } = 10;

    /// <summary>Mapper speed along its random walk, m/s.</summary>
    public double MapperSpeedMetresPerSecond { get; set; } = 8;

    /// <summary>Device transmit power (EIRP), dBm.</summary>
    public double TxPowerDbm { get; set; } = 14;

    /// <summary>How long a device waits for its Join-Accept before it tries again.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>How long downlinks are still listened for after the last uplinks (RX2 is two seconds after an uplink).</summary>
    public TimeSpan DrainTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The signal a witness stuffer claims for beacons it never heard, dBm (far stronger than the distance allows).</summary>
    public int StuffedRssiDbm { get; set; } = -40;

    /// <summary>The signal members of a self-witnessing cluster report for each other's beacons, dBm (radios a few metres apart).</summary>
    public int ClusterRssiDbm { get; set; } = -35;

    /// <summary>How long after a beacon a late replayer sends it on as its witness (PoC takes witnesses up to 4 s after the beacon).</summary>
    public TimeSpan ReplayDelay { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Seed of the run's own randomness (start offsets, intervals, channels, mapper walks).</summary>
    public int Seed { get; set; } = 1;
}
