using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using WirelessNet.Coverage.Density;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.LoRaWan.Regions;
using WirelessNet.Poc.Beacons;
using WirelessNet.Poc.Challenges;
using WirelessNet.Poc.Entropy;
using WirelessNet.Poc.Hotspots;
using WirelessNet.Poc.Rewards;
using WirelessNet.Poc.Validation;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Simulators.Cli.Poc;

/// <summary>
/// `poc-day`: verifies and rewards one day of a large PoC network in process, the way the server's round processor
/// does it (parse the signed protobuf reports, check each signature against its hotspot key, run the core verifier in
/// receive order with the reciprocity log, then transmit scales and the epoch manifest). Report generation and signing
/// are not timed. The same day is verified a second time without signature checks, for the cost of the rules alone.
/// </summary>
internal static class PocDayCommand
{
    private const int GainDeciDbi = 12;
    private const double SpacingKm = 1.2;

    public static Command Create()
    {
        var hotspotsOption = new Option<int>("--hotspots") { Description = "Hotspots in the network.", DefaultValueFactory = _ => 100_000 };
        var witnessesOption = new Option<int>("--witnesses") { Description = "Witness reports per beacon.", DefaultValueFactory = _ => 10 };
        var chunkOption = new Option<int>("--chunk") { Description = "Rounds generated and verified per chunk (bounds memory).", DefaultValueFactory = _ => 20_000 };
        var seedOption = new Option<int>("--seed") { Description = "Seed for keys and placement.", DefaultValueFactory = _ => 7 };
        var command = new Command("poc-day", "Verify and reward one day of PoC (4 challenge windows of 6 h) for a simulated network, with and without signature checks.")
        {
            hotspotsOption, witnessesOption, chunkOption, seedOption,
        };
        command.SetAction(result =>
        {
            var hotspots = result.GetValue(hotspotsOption);
            var witnesses = result.GetValue(witnessesOption);
            var chunk = result.GetValue(chunkOption);
            if (hotspots is < 100 or > 1_000_000 || witnesses is < 0 or > 24 || chunk is < 100 or > 1_000_000)
            {
                Console.Error.WriteLine("--hotspots 100–1000000, --witnesses 0–24, --chunk 100–1000000.");
                return 2;
            }

            Run(hotspots, witnesses, chunk, result.GetValue(seedOption));
            return 0;
        });
        return command;
    }

    private static void Run(int hotspotCount, int witnessesPerBeacon, int chunkSize, int seed)
    {
        var region = Region.Eu868;
        var setup = Stopwatch.StartNew();

        // A jittered square grid, 1.2 km apart: every hotspot has neighbours at 1.2–2.7 km to witness it.
        var side = (int)Math.Ceiling(Math.Sqrt(hotspotCount));
        var random = new Random(seed);
        // Private keys are kept as their 32-byte seeds: libsodium guards each live private key with its own memory
        // mappings, and 100,000 of them at once exceed the process's mapping limit.
        var seeds = new byte[hotspotCount][];
        var keys = new HeliumPublicKey[hotspotCount];
        var places = new LatLng[hotspotCount];
        var hotspots = new Dictionary<HeliumPublicKey, PocHotspot>(hotspotCount);
        var origin = new LatLng(44.0, 2.0);
        var entropyBytes = new byte[32];
        for (var i = 0; i < hotspotCount; i++)
        {
            random.NextBytes(entropyBytes);
            seeds[i] = (byte[])entropyBytes.Clone();
            using (var pair = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, entropyBytes))
            {
                keys[i] = pair.PublicKey;
            }

            var north = ((i / side) * SpacingKm) + ((random.NextDouble() - 0.5) * 0.2);
            var east = ((i % side) * SpacingKm) + ((random.NextDouble() - 0.5) * 0.2);
            places[i] = new LatLng(origin.Lat + (north / 111.32), origin.Lng + (east / (111.32 * Math.Cos(origin.Lat * Math.PI / 180))));
            hotspots[keys[i]] = new PocHotspot(keys[i], H3Grid.LatLngToCell(places[i], 12), GainDeciDbi, region);
        }

        var index = new Dictionary<HeliumPublicKey, int>(hotspotCount);
        for (var i = 0; i < hotspotCount; i++)
        {
            index[keys[i]] = i;
        }

        var dayStart = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var window = TimeSpan.FromHours(6);
        var chain = new EntropyChain("operator-seed-for-the-benchmark"u8, new EntropyReport(new byte[32], dayStart.ToUnixTimeSeconds() - 600, EntropyChain.CurrentVersion));
        chain.AppendDue(dayStart.AddDays(1).ToUnixTimeSeconds());

        // Steady state: every hotspot beaconed and witnessed yesterday, so reciprocity holds.
        var withSignatures = new Pass(hotspots, chain, dayStart);
        var withoutSignatures = new Pass(hotspots, chain, dayStart);

        // Every hotspot is challenged once per window at its scheduled time: 4 beacons a day each.
        var rounds = new List<(DateTimeOffset At, int Beaconer)>(hotspotCount * 4);
        for (var w = 0; w < 4; w++)
        {
            var start = dayStart + (window * w);
            chain.TryGetValidAt(start, out var windowEntropy);
            foreach (var challenge in ChallengeScheduler.Schedule(start, window, windowEntropy!.Data, hotspots.Values))
            {
                rounds.Add((challenge.At, index[challenge.Hotspot]));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"setup: {hotspotCount} hotspots, {rounds.Count} rounds scheduled in {setup.Elapsed.TotalSeconds:F1} s"));
        var signing = TimeSpan.Zero;
        for (var offset = 0; offset < rounds.Count; offset += chunkSize)
        {
            var generate = Stopwatch.StartNew();
            var chunk = Generate(rounds, offset, Math.Min(chunkSize, rounds.Count - offset), witnessesPerBeacon, side, seeds, keys, places, chain, region);
            signing += generate.Elapsed;
            withSignatures.Verify(chunk, checkSignatures: true);
            withoutSignatures.Verify(chunk, checkSignatures: false);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {offset + chunk.Count}/{rounds.Count} rounds"));
        }

        withSignatures.Reward(index.Count);
        withoutSignatures.Reward(index.Count);
        var totalWitnesses = (long)rounds.Count * witnessesPerBeacon;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated and signed {rounds.Count} beacons and {totalWitnesses} witnesses in {signing.TotalSeconds:F1} s (not counted)"));
        withSignatures.Print("with signature checks   ", rounds.Count, totalWitnesses);
        withoutSignatures.Print("without signature checks", rounds.Count, totalWitnesses);
    }

    private static List<SignedRound> Generate(
        List<(DateTimeOffset At, int Beaconer)> rounds, int offset, int count, int witnessesPerBeacon, int side, byte[][] seeds, HeliumPublicKey[] keys, LatLng[] places, EntropyChain chain, RegionParameters region)
    {
        var generated = new SignedRound[count];
        Parallel.For(0, count, i =>
        {
            var (at, b) = rounds[offset + i];
            chain.TryGetValidAt(at, out var entropy);
            var local = BitConverter.GetBytes(b);
            var beacon = BeaconGenerator.Generate(region, GainDeciDbi, entropy!.Data, entropy.Timestamp, local);
            var beaconReport = new lora_beacon_report_req_v1
            {
                PubKey = ByteString.CopyFrom(keys[b].AsSpan()),
                LocalEntropy = ByteString.CopyFrom(local),
                RemoteEntropy = ByteString.CopyFrom(entropy.Data),
                Data = ByteString.CopyFrom(beacon.Payload),
                Frequency = beacon.FrequencyHz,
                Datarate = data_rate.Sf12Bw125,
                TxPower = beacon.TxPowerDeciDbm,
                Timestamp = (ulong)at.ToUnixTimeMilliseconds() * 1_000_000,
            };
            using (var pair = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, seeds[b]))
            {
                SignedMessages.Sign(beaconReport, pair, (m, s) => m.Signature = s);
            }


            var witnesses = new List<(byte[] Report, long ReceivedMs)>(witnessesPerBeacon);
            var row = b / side;
            var column = b % side;
            for (var ring = 1; witnesses.Count < witnessesPerBeacon && ring <= 3; ring++)
            {
                for (var dr = -ring; dr <= ring && witnesses.Count < witnessesPerBeacon; dr++)
                {
                    for (var dc = -ring; dc <= ring && witnesses.Count < witnessesPerBeacon; dc++)
                    {
                        var w = ((row + dr) * side) + column + dc;
                        if (Math.Max(Math.Abs(dr), Math.Abs(dc)) != ring || row + dr < 0 || column + dc < 0 || column + dc >= side || w >= keys.Length)
                        {
                            continue;
                        }

                        var distance = H3Grid.GreatCircleDistanceKm(places[b], places[w]) * 1000;
                        var rssi = (int)Math.Floor(FreeSpace.MaxRssiDbm(beacon.TxPowerDeciDbm, GainDeciDbi, GainDeciDbi, distance, beacon.FrequencyHz) - 20);
                        var witness = new lora_witness_report_req_v1
                        {
                            PubKey = ByteString.CopyFrom(keys[w].AsSpan()),
                            Data = ByteString.CopyFrom(beacon.Payload),
                            Timestamp = (ulong)at.ToUnixTimeMilliseconds() * 1_000_000,
                            Signal = rssi * 10,
                            Snr = 30,
                            Frequency = beacon.FrequencyHz,
                            Datarate = data_rate.Sf12Bw125,
                        };
                        using (var pair = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, seeds[w]))
                        {
                            SignedMessages.Sign(witness, pair, (m, s) => m.Signature = s);
                        }

                        witnesses.Add((witness.ToByteArray(), at.ToUnixTimeMilliseconds() + 200 + (witnesses.Count * 150)));
                    }
                }
            }

            generated[i] = new SignedRound(beaconReport.ToByteArray(), at.ToUnixTimeMilliseconds(), witnesses);
        });
        return [.. generated];
    }

    private sealed record SignedRound(byte[] Beacon, long ReceivedMs, List<(byte[] Report, long ReceivedMs)> Witnesses);

    /// <summary>One verification of the day, with its own reciprocity log and compact results.</summary>
    private sealed class Pass
    {
        private readonly Dictionary<HeliumPublicKey, PocHotspot> _hotspots;
        private readonly PocActivityLog _activity = new();
        private readonly PocVerifier _verifier;
        private readonly DateTimeOffset _dayStart;
        private readonly List<(HeliumPublicKey Beaconer, DateTimeOffset At, InvalidReason Reason, HeliumPublicKey[] Selected)> _results = [];
        private readonly Dictionary<InvalidReason, long> _witnessReasons = [];
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ByteString, HeliumPublicKey> _keys = new();
        private TimeSpan _verify;
        private TimeSpan _verifyCpu;
        private TimeSpan _reward;
        private TimeSpan _rewardCpu;
        private long _rejectedSignatures;
        private RewardManifest? _manifest;

        public Pass(Dictionary<HeliumPublicKey, PocHotspot> hotspots, EntropyChain chain, DateTimeOffset dayStart)
        {
            _hotspots = hotspots;
            _dayStart = dayStart;
            foreach (var key in hotspots.Keys)
            {
                _activity.RecordBeacon(key, dayStart.AddHours(-20));
                _activity.RecordWitness(key, dayStart.AddHours(-20));
            }

            _verifier = new PocVerifier(hotspots, chain, _activity);
        }

        public void Verify(List<SignedRound> chunk, bool checkSignatures)
        {
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;

            // Parsing and signature checks are per report and independent: all cores. The rules run in receive order.
            var parsed = new (BeaconReport? Beacon, List<WitnessReport> Witnesses)[chunk.Count];
            var rejected = 0L;
            Parallel.For(0, chunk.Count, i =>
            {
                var round = chunk[i];
                var beaconMessage = lora_beacon_report_req_v1.Parser.ParseFrom(round.Beacon);
                var beaconKey = Key(beaconMessage.PubKey);
                BeaconReport? beacon = null;
                if (!checkSignatures || SignedMessages.Verify(beaconMessage, beaconKey, m => m.Signature, (m, s) => m.Signature = s))
                {
                    beacon = new BeaconReport(
                        beaconKey,
                        beaconMessage.RemoteEntropy.ToByteArray(),
                        beaconMessage.LocalEntropy.ToByteArray(),
                        beaconMessage.Data.ToByteArray(),
                        beaconMessage.Frequency,
                        0,
                        beaconMessage.TxPower,
                        DateTimeOffset.FromUnixTimeMilliseconds(round.ReceivedMs));
                }
                else
                {
                    Interlocked.Increment(ref rejected);
                }

                var witnesses = new List<WitnessReport>(round.Witnesses.Count);
                foreach (var (bytes, receivedMs) in round.Witnesses)
                {
                    var message = lora_witness_report_req_v1.Parser.ParseFrom(bytes);
                    var key = Key(message.PubKey);
                    if (checkSignatures && !SignedMessages.Verify(message, key, m => m.Signature, (m, s) => m.Signature = s))
                    {
                        Interlocked.Increment(ref rejected);
                        continue;
                    }

                    witnesses.Add(new WitnessReport(key, message.Data.ToByteArray(), message.Frequency, 0, message.Signal, message.Snr, DateTimeOffset.FromUnixTimeMilliseconds(receivedMs)));
                }

                parsed[i] = (beacon, witnesses);
            });

            foreach (var (beacon, witnesses) in parsed)
            {
                if (beacon is null)
                {
                    continue;
                }

                var result = _verifier.Verify(beacon, witnesses);
                _activity.Record(result);
                var selected = new List<HeliumPublicKey>(result.Witnesses.Count);
                foreach (var witness in result.Witnesses)
                {
                    _witnessReasons[witness.Reason] = _witnessReasons.GetValueOrDefault(witness.Reason) + 1;
                    if (witness.Selected)
                    {
                        selected.Add(witness.Report.Witness);
                    }
                }

                _results.Add((beacon.Beaconer, beacon.ReceivedAt, result.BeaconReason, [.. selected]));
            }

            _rejectedSignatures += rejected;
            _verify += clock.Elapsed;
            _verifyCpu += Process.GetCurrentProcess().TotalProcessorTime - cpu;
        }

        // Parsed keys by their bytes, as the server's ingest keeps them (PocKeyCache).
        private HeliumPublicKey Key(ByteString binary) =>
            _keys.TryGetValue(binary, out var key) ? key : _keys.GetOrAdd(binary, HeliumPublicKey.Parse(binary.Span));

        public void Reward(int hotspotCount)
        {
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var scales = TransmitScales.Compute(
                _hotspots.Values.Select(h => new HotspotAssertion(h.Key.ToAddress(), h.Location, _dayStart.AddHours(23))).ToList(), _dayStart.AddDays(1));
            _manifest = PocRewardCalculator.Compute(_dayStart, 1_000_000m, Rounds(), scales);
            _reward = clock.Elapsed;
            _rewardCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            if (_manifest.Rewards.Count > hotspotCount)
            {
                throw new InvalidOperationException("More rewarded hotspots than hotspots.");
            }
        }

        public void Print(string label, int beacons, long witnesses)
        {
            var total = _verify + _reward;
            var valid = _witnessReasons.GetValueOrDefault(InvalidReason.ReasonNone);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{label}: verify {_verify.TotalSeconds:F1} s wall / {_verifyCpu.TotalSeconds:F1} s CPU ({witnesses / _verify.TotalSeconds:F0} witnesses/s wall, {witnesses / _verifyCpu.TotalSeconds:F0} per CPU-second), transmit scales + manifest {_reward.TotalSeconds:F1} s wall / {_rewardCpu.TotalSeconds:F1} s CPU, total {total.TotalSeconds:F1} s wall / {(_verifyCpu + _rewardCpu).TotalSeconds:F1} s CPU; valid witnesses {valid}/{witnesses}, rejected signatures {_rejectedSignatures}, rewarded hotspots {_manifest!.Rewards.Count}, distributed {_manifest.Distributed}"));
            foreach (var (reason, count) in _witnessReasons.Where(r => r.Key != InvalidReason.ReasonNone).OrderByDescending(r => r.Value).Take(5))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    witness {reason}: {count}"));
            }
        }

        // Slim results rebuilt lazily: the reward calculator reads validity, beaconer, time and the selected witnesses.
        private IEnumerable<PocRoundResult> Rounds()
        {
            foreach (var (beaconer, at, reason, selected) in _results)
            {
                var witnesses = selected.Select(w => new WitnessResult(new WitnessReport(w, [], 0, 0, 0, 0, at), InvalidReason.ReasonNone, ParticipantSide.None, true, true)).ToList();
                yield return new PocRoundResult(new BeaconReport(beaconer, [], [], [], 0, 0, 0, at), reason, reason == InvalidReason.ReasonNone, witnesses);
            }
        }
    }
}
