using System.Collections.Concurrent;
using WirelessNet.Coverage.H3;
using WirelessNet.Coverage.Payloads;
using WirelessNet.LoRaWan.Frames;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Simulators.Devices;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Fleets;

/// <summary>
/// Runs a world's devices against a server through its hotspots: every device joins (OTAA, retrying), then sends
/// uplinks at its own pace: sensors a few bytes, some confirmed; mappers their GPS position while they walk. The RF
/// model decides which hotspots hear each transmission and at what RSSI/SNR; those hotspots forward it. Downlinks
/// coming back through any hotspot are given to the device they are for (Join-Accepts, ACKs, MAC commands).
/// Proof-of-coverage beacons the server has a hotspot transmit go on air and are witnessed by the hotspots that hear
/// them; hotspots with a cheat (<see cref="CheatProfiles"/>) witness as their profile says instead.
/// </summary>
/// <remarks>Bounded in time by <see cref="CityRunOptions.Duration"/>; traffic goes wherever the radios point (the CLI
/// allows loopback only).</remarks>
public sealed class CityFleetRun
{
    private static readonly ulong[] Channels = [868_100_000, 868_300_000, 868_500_000];

    private readonly RadioWorld _world;
    private IReadOnlyList<IHotspotRadio> _radios = [];
    private readonly CityRunOptions _options;
    private readonly FleetDevice[] _devices;
    private readonly ConcurrentDictionary<Eui64, FleetDevice> _joining = new();
    private readonly ConcurrentDictionary<DevAddr, FleetDevice> _byAddress = new();
    private readonly int[] _stuffers;
    private readonly int[] _replayers;
    private readonly bool[] _cheatReplacesRadio;
    private readonly ConcurrentBag<Task> _replays = [];

    public CityFleetRun(RadioWorld world, CityRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(world);
        _world = world;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _devices = world.Definition.Devices.Select(d => new FleetDevice(d, new SimulatedDevice(d.Seed, d.Lorawan11))).ToArray();
        var hotspots = world.Definition.Hotspots;
        _stuffers = Enumerable.Range(0, hotspots.Count).Where(i => hotspots[i].Cheat?.Profile == CheatProfiles.WitnessStuffing).ToArray();
        _replayers = Enumerable.Range(0, hotspots.Count).Where(i => hotspots[i].Cheat?.Profile == CheatProfiles.LateReplay).ToArray();

        // A false location is only a claim: that radio hears what it hears. The other cheats witness by their own rules.
        _cheatReplacesRadio = hotspots.Select(h => h.Cheat is { Profile: not CheatProfiles.FalseLocation }).ToArray();
    }

    public CityRunStatistics Statistics { get; } = new();

    /// <summary>The simulated devices, in the world's order (to provision them).</summary>
    public IReadOnlyList<SimulatedDevice> Devices => _devices.Select(d => d.Device).ToArray();

    /// <param name="radios">One per hotspot of the world, in the world's order, connected.</param>
    public async Task RunAsync(IReadOnlyList<IHotspotRadio> radios, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(radios);
        if (radios.Count != _world.Definition.Hotspots.Count)
        {
            throw new ArgumentException($"{radios.Count} radios for {_world.Definition.Hotspots.Count} hotspots.", nameof(radios));
        }

        _radios = radios;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(_options.Duration);
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listeners = _radios.Select((radio, index) => Task.Run(() => ListenAsync(index, listening.Token, cancellationToken), CancellationToken.None)).ToArray();
        var random = new Random(_options.Seed);
        var devices = _devices.Select(device => Task.Run(() => RunDeviceAsync(device, random.Next(), stop.Token), CancellationToken.None)).ToArray();

        // Hotspots keep listening (and beaconing when told) for the whole duration, devices or not.
        await Task.WhenAll(devices.Append(UntilCancelledAsync(stop.Token))).ConfigureAwait(false);

        // Answers to the last uplinks may still be on their way (RX1 is a second after the uplink, plus the server).
        listening.CancelAfter(_options.DrainTime);
        await Task.WhenAll(listeners).ConfigureAwait(false);
        await Task.WhenAll(_replays).ConfigureAwait(false);
    }

    private static async Task UntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RunDeviceAsync(FleetDevice device, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var interval = _options.UplinkInterval;
        try
        {
            // Devices power up spread over one interval, not all at once.
            await Task.Delay(interval * random.NextDouble(), cancellationToken).ConfigureAwait(false);
            device.SpreadingFactor = LowestSpreadingFactorHeard(device);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!device.Device.Joined)
                {
                    if (!await JoinAsync(device, random, cancellationToken).ConfigureAwait(false))
                    {
                        await Task.Delay(interval * (0.5 + random.NextDouble()), cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                await SendUplinkAsync(device, random, cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval * (0.5 + random.NextDouble()), cancellationToken).ConfigureAwait(false);
                if (device.Definition.Mapper)
                {
                    device.Walk(random, _options.MapperSpeedMetresPerSecond * interval.TotalSeconds, _world.Definition);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> JoinAsync(FleetDevice device, Random random, CancellationToken cancellationToken)
    {
        byte[] request;
        lock (device)
        {
            request = device.Device.CreateJoinRequest();
            device.JoinAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _joining[device.Device.DevEui] = device;
        Statistics.JoinRequested();
        await TransmitAsync(device, request, Channels[random.Next(Channels.Length)], confirmed: false, counted: false, cancellationToken).ConfigureAwait(false);
        try
        {
            await device.JoinAccepted.Task.WaitAsync(_options.JoinTimeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _joining.TryRemove(device.Device.DevEui, out _);
        }
    }

    private Task SendUplinkAsync(FleetDevice device, Random random, CancellationToken cancellationToken)
    {
        byte[] frame;
        var confirmed = false;

        // LoRaWAN 1.1 devices put the channel and data rate into the MIC: they must be the ones transmitted on.
        var channel = random.Next(Channels.Length);
        lock (device)
        {
            var dataRate = (byte)(12 - device.SpreadingFactor);
            if (device.Definition.Mapper)
            {
                Span<byte> gps = stackalloc byte[CompactGpsPayload.Length];
                CompactGpsPayload.Encode(gps, new GpsFix(new LatLng(device.Latitude, device.Longitude), 30));
                frame = device.Device.CreateDataUplink(gps, _options.MapperFPort, txDr: dataRate, txCh: (byte)channel);
            }
            else
            {
                confirmed = random.NextDouble() < _options.ConfirmedShare;
                Span<byte> reading = [(byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(100)];
                frame = device.Device.CreateDataUplink(reading, _options.SensorFPort, confirmed, txDr: dataRate, txCh: (byte)channel);
            }

            device.LastUplinkFCnt = device.Device.FCntUp - 1;
        }

        return TransmitAsync(device, frame, Channels[channel], confirmed, counted: true, cancellationToken);
    }

    private async Task TransmitAsync(FleetDevice device, byte[] frame, ulong frequency, bool confirmed, bool counted, CancellationToken cancellationToken)
    {
        var hearings = _world.Hear(device.Latitude, device.Longitude, device.Device.DevEui.Value, _options.TxPowerDbm, device.SpreadingFactor, frequency);
        if (counted)
        {
            Statistics.UplinkSent(hearings.Count, confirmed);
        }

        var forwards = hearings.Select(h => _radios[h.HotspotIndex].ForwardUplinkAsync(frame, frequency, device.SpreadingFactor, (int)h.RssiDbm, (float)h.SnrDb, cancellationToken));
        await ForwardAllAsync(forwards, cancellationToken).ConfigureAwait(false);
    }

    private async Task ListenAsync(int hotspot, CancellationToken cancellationToken, CancellationToken runToken)
    {
        try
        {
            await foreach (var transmission in _radios[hotspot].ReadDownlinksAsync(cancellationToken).ConfigureAwait(false))
            {
                if (IsBeacon(transmission.PhyPayload))
                {
                    await TransmitBeaconAsync(hotspot, transmission, cancellationToken, runToken).ConfigureAwait(false);
                }
                else
                {
                    Deliver(transmission.PhyPayload);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // A proof-of-coverage beacon: LoRaWAN Proprietary MHDR and 51 bytes.
    private static bool IsBeacon(byte[] payload) => payload.Length == 52 && payload[0] == 0xE0;

    /// <summary>
    /// The hotspot transmits the beacon; the hotspots the RF model lets hear it witness it over their transport
    /// (<see cref="IHotspotRadio.WitnessBeaconAsync"/>). The transmitter is modelled like a device at the hotspot's position (an
    /// approximation: its own antenna height and gain are not applied on the sending side). Cheaters (other than a
    /// false location, whose radio hears honestly) do not listen to their radio: a witness stuffer reports every beacon
    /// at <see cref="CityRunOptions.StuffedRssiDbm"/>, members of the beaconer's self-witnessing cluster report it at
    /// <see cref="CityRunOptions.ClusterRssiDbm"/>, and a late replayer sends it on after
    /// <see cref="CityRunOptions.ReplayDelay"/>.
    /// </summary>
    private async Task TransmitBeaconAsync(int beaconer, HotspotTransmission beacon, CancellationToken cancellationToken, CancellationToken runToken)
    {
        var hotspots = _world.Definition.Hotspots;
        var origin = hotspots[beaconer];
        var transmitter = ulong.Parse(origin.GatewayId, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var hearings = _world.Hear(origin.Latitude, origin.Longitude, transmitter, beacon.PowerDbm, beacon.SpreadingFactor, beacon.FrequencyHz)
            .Where(h => h.HotspotIndex != beaconer && !_cheatReplacesRadio[h.HotspotIndex])
            .ToList();
        Statistics.BeaconTransmitted(hearings.Count);
        var forwards = hearings.Select(h => _radios[h.HotspotIndex].WitnessBeaconAsync(beacon.PhyPayload, beacon.FrequencyHz, beacon.SpreadingFactor, (int)h.RssiDbm, (float)h.SnrDb, cancellationToken)).ToList();
        foreach (var stuffer in _stuffers.Where(i => i != beaconer))
        {
            Statistics.WitnessCheated();
            forwards.Add(_radios[stuffer].WitnessBeaconAsync(beacon.PhyPayload, beacon.FrequencyHz, beacon.SpreadingFactor, _options.StuffedRssiDbm, 9.5f, cancellationToken));
        }

        if (origin.Cheat is { Profile: CheatProfiles.SelfWitnessingCluster, Cluster: var cluster })
        {
            for (var i = 0; i < hotspots.Count; i++)
            {
                if (i != beaconer && hotspots[i].Cheat is { Profile: CheatProfiles.SelfWitnessingCluster } member && member.Cluster == cluster)
                {
                    Statistics.WitnessCheated();
                    forwards.Add(_radios[i].WitnessBeaconAsync(beacon.PhyPayload, beacon.FrequencyHz, beacon.SpreadingFactor, _options.ClusterRssiDbm, 10f, cancellationToken));
                }
            }
        }

        foreach (var replayer in _replayers.Where(i => i != beaconer))
        {
            _replays.Add(ReplayAsync(replayer, beacon, runToken));
        }

        await ForwardAllAsync(forwards, cancellationToken).ConfigureAwait(false);
    }

    // A colluder heard the beacon and passed it on; the replayer reports it late, with a signal that would be plausible.
    private async Task ReplayAsync(int replayer, HotspotTransmission beacon, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.ReplayDelay, cancellationToken).ConfigureAwait(false);
            Statistics.WitnessCheated();
            await ForwardAllAsync([_radios[replayer].WitnessBeaconAsync(beacon.PhyPayload, beacon.FrequencyHz, beacon.SpreadingFactor, -118, -6f, cancellationToken)], cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Waits for the hotspots' forwards. A failure is counted, not thrown: one broken connection must not end the run.
    /// When the run is ending, transports report their cancelled sends in their own ways (MQTTnet: a timeout), so
    /// nothing is counted then.
    /// </summary>
    private async Task ForwardAllAsync(IEnumerable<Task> forwards, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(forwards).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Counted as a transport error; the device or hotspot goes on.
        catch (Exception)
#pragma warning restore CA1031
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                Statistics.Error();
            }
        }
    }

    private void Deliver(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return;
        }

        if ((MType)(payload[0] >> 5) == MType.JoinAccept)
        {
            foreach (var device in _joining.Values)
            {
                bool accepted;
                lock (device)
                {
                    accepted = device.Device.TryAcceptJoin(payload);
                }

                if (accepted)
                {
                    _byAddress[device.Device.DevAddr] = device;
                    Statistics.Joined();
                    Statistics.DownlinkReceived();
                    device.JoinAccepted?.TrySetResult();
                    return;
                }
            }

            return;
        }

        if (DataFrame.TryDecode(payload, out var frame) == FrameError.None && _byAddress.TryGetValue(frame.DevAddr, out var owner))
        {
            DeviceDownlink? received;
            lock (owner)
            {
                received = owner.Device.TryReceiveDownlink(payload, (ushort)owner.LastUplinkFCnt);
            }

            if (received is not null)
            {
                Statistics.DownlinkReceived();
                if (received.Ack)
                {
                    Statistics.AckReceived();
                }
            }
        }
    }

    // The fastest rate at which some hotspot still hears the device from where it starts (what ADR would settle on).
    private int LowestSpreadingFactorHeard(FleetDevice device)
    {
        for (var sf = 7; sf <= 12; sf++)
        {
            if (_world.Hear(device.Latitude, device.Longitude, device.Device.DevEui.Value, _options.TxPowerDbm, sf, Channels[0]).Count > 0)
            {
                return sf;
            }
        }

        return 12;
    }

    private sealed class FleetDevice(WorldDevice definition, SimulatedDevice device)
    {
        public WorldDevice Definition { get; } = definition;

        public SimulatedDevice Device { get; } = device;

        public double Latitude { get; private set; } = definition.Latitude;

        public double Longitude { get; private set; } = definition.Longitude;

        public int SpreadingFactor { get; set; } = 7;

        public uint LastUplinkFCnt { get; set; }

        public TaskCompletionSource? JoinAccepted { get; set; }

        /// <summary>A step of a random walk, kept inside the world's disc.</summary>
        public void Walk(Random random, double metres, RadioWorldDefinition world)
        {
            var bearing = random.NextDouble() * 2 * Math.PI;
            var lat = Latitude + (metres * Math.Cos(bearing) / 111_320);
            var lng = Longitude + (metres * Math.Sin(bearing) / (111_320 * Math.Cos(Latitude * Math.PI / 180)));
            var fromCentreKm = H3Grid.GreatCircleDistanceKm(new LatLng(lat, lng), new LatLng(world.CentreLatitude, world.CentreLongitude));
            if (fromCentreKm <= world.RadiusKm)
            {
                Latitude = lat;
                Longitude = lng;
            }
        }
    }
}
