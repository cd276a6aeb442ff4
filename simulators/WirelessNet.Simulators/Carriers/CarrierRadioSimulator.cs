using Google.Protobuf;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Signing;
using WirelessNet.Proto.Helium.PocMobile;
using WirelessNet.Proto.Offload;

namespace WirelessNet.Simulators.Carriers;

/// <summary>
/// A carrier's radio network (<see cref="CarrierNetwork"/>: CBRS cells and Wi-Fi access points of a world) as its
/// radios and router report it: data-transfer events signed by the radio, envelopes signed by the router, heartbeats
/// and speed tests signed by the radio, all with real Helium keys. Sessions go to radios in proportion to their
/// subscribers and are sized like mobile data sessions (heavy-tailed: most a few MB, some hundreds of MB); CBRS cells
/// report E-UTRAN, Wi-Fi access points WLAN. RADIUS sessions report cumulative counters in a start, interims and a
/// stop. Deterministic for a seed apart from <see cref="RunId"/>, which keeps event ids unique across runs.
/// </summary>
public sealed class CarrierRadioSimulator
{
    private readonly CarrierNetwork _network;
    private readonly double _accountingShare;
    private readonly Random _random;
    private readonly int[] _cumulativeSubscribers;
    private readonly List<OpenSession> _open = [];
    private long _nextEvent;

    /// <param name="accountingShare">Fraction of sessions reported RADIUS-style (start, interims, stop) instead of one Helium event.</param>
    /// <param name="seed">Seed of the traffic.</param>
    public CarrierRadioSimulator(CarrierNetwork network, double accountingShare, int seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(network.Radios.Count, 1);
        _network = network;
        _accountingShare = Math.Clamp(accountingShare, 0, 1);
        _random = new Random(seed);
        _cumulativeSubscribers = new int[network.Radios.Count];
        var total = 0;
        for (var i = 0; i < network.Radios.Count; i++)
        {
            total += Math.Max(1, network.Radios[i].Definition.Subscribers);
            _cumulativeSubscribers[i] = total;
        }

        RunId = $"{seed:x}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    public string CarrierId => _network.CarrierId;

    /// <summary>The carrier router's key (register it for the carrier).</summary>
    public HeliumKeyPair Router => _network.Router;

    /// <summary>The key paying data credits.</summary>
    public HeliumKeyPair Payer => _network.Payer;

    /// <summary>The radios (register them as hotspots with their locations).</summary>
    public IReadOnlyList<CarrierRadio> Radios => _network.Radios;

    /// <summary>Makes event ids unique per simulator instance.</summary>
    public string RunId { get; }

    /// <summary>
    /// The next <paramref name="count"/> session records, timestamped around <paramref name="now"/>: Helium envelopes
    /// for standalone sessions and accounting records for RADIUS ones (a RADIUS session yields one record per call
    /// while it is open, so interims interleave with other traffic as they would).
    /// </summary>
    public data_transfer_batch_req_v1 NextBatch(int count, DateTimeOffset now)
    {
        var batch = new data_transfer_batch_req_v1();
        for (var i = 0; i < count; i++)
        {
            if (_open.Count > 0 && _random.NextDouble() < 0.5)
            {
                batch.AccountingRecords.Add(Advance(now));
            }
            else if (_random.NextDouble() < _accountingShare)
            {
                batch.AccountingRecords.Add(Open(now));
            }
            else
            {
                batch.Sessions.Add(Standalone(now));
            }
        }

        return batch;
    }

    /// <summary>
    /// A signed heartbeat of each radio at <paramref name="when"/>, from where it stands: CBRS cells as cell heartbeats
    /// with their SAS grant (CBSD id, so the server trusts the position), Wi-Fi access points as Wi-Fi heartbeats at
    /// their asserted location.
    /// </summary>
    public heartbeat_batch_req_v1 Heartbeats(DateTimeOffset when)
    {
        var batch = new heartbeat_batch_req_v1();
        for (var i = 0; i < Radios.Count; i++)
        {
            var radio = Radios[i];
            var key = radio.Key;
            if (radio.IsCbrs)
            {
                var cell = new cell_heartbeat_req_v1
                {
                    PubKey = ByteString.CopyFrom(key.PublicKey.AsSpan()),
                    HotspotType = "sercomm_outdoor",
                    CellId = (uint)(0x1000 + i),
                    Timestamp = (ulong)when.ToUnixTimeSeconds(),
                    Lat = radio.Definition.Latitude,
                    Lon = radio.Definition.Longitude,
                    OperationMode = true,
                    CbsdCategory = "B",
                    CbsdId = $"P27-SIM{CarrierId}-{i:x4}",
                };
                cell.Signature = ByteString.CopyFrom(key.Sign(cell.ToByteArray()));
                batch.CellHeartbeats.Add(cell);
            }
            else
            {
                var wifi = new wifi_heartbeat_req_v1
                {
                    PubKey = ByteString.CopyFrom(key.PublicKey.AsSpan()),
                    Timestamp = (ulong)when.ToUnixTimeSeconds(),
                    Lat = radio.Definition.Latitude,
                    Lon = radio.Definition.Longitude,
                    OperationMode = true,
                    LocationSource = location_source.Asserted,
                    LocationValidationTimestamp = (ulong)when.AddDays(-1).ToUnixTimeSeconds(),
                };
                wifi.Signature = ByteString.CopyFrom(key.Sign(wifi.ToByteArray()));
                batch.WifiHeartbeats.Add(wifi);
            }
        }

        return batch;
    }

    /// <summary>A signed speed test of each radio's backhaul: 1–10 MB/s up, 3–30 MB/s down, 15–80 ms.</summary>
    public heartbeat_batch_req_v1 Speedtests(DateTimeOffset when)
    {
        var batch = new heartbeat_batch_req_v1();
        foreach (var radio in Radios)
        {
            var test = new speedtest_req_v1
            {
                PubKey = ByteString.CopyFrom(radio.Key.PublicKey.AsSpan()),
                Serial = "sim-" + radio.Key.PublicKey.ToAddress()[..12],
                Timestamp = (ulong)when.ToUnixTimeSeconds(),
                UploadSpeed = (ulong)_random.Next(1_000_000, 10_000_001),
                DownloadSpeed = (ulong)_random.Next(3_000_000, 30_000_001),
                Latency = (uint)_random.Next(15, 81),
            };
            test.Signature = ByteString.CopyFrom(radio.Key.Sign(test.ToByteArray()));
            batch.Speedtests.Add(test);
        }

        return batch;
    }

    private data_transfer_session_req_v1 Standalone(DateTimeOffset now)
    {
        var radio = NextRadio();
        var hotspot = radio.Key;
        var (up, down) = SessionBytes();
        var e = new data_transfer_event
        {
            PubKey = ByteString.CopyFrom(hotspot.PublicKey.AsSpan()),
            UploadBytes = (ulong)up,
            DownloadBytes = (ulong)down,
            RadioAccessTechnology = radio.IsCbrs ? data_transfer_radio_access_technology.Eutran : data_transfer_radio_access_technology.Wlan,
            EventId = NextEventId(),
            Payer = ByteString.CopyFrom(Payer.PublicKey.AsSpan()),
            Timestamp = (ulong)now.AddSeconds(-_random.Next(0, 120)).ToUnixTimeSeconds(),
        };
        e.Signature = ByteString.CopyFrom(hotspot.Sign(e.ToByteArray()));
        var request = new data_transfer_session_req_v1
        {
            DataTransferUsage = e,
            PubKey = ByteString.CopyFrom(Router.PublicKey.AsSpan()),
            // Carriers pay for most traffic; a few sessions (zero-rated, internal) are not rewardable.
            RewardableBytes = _random.NextDouble() < 0.95 ? (ulong)(up + down) : 0,
            RewardCancelled = _random.NextDouble() < 0.01,
            Sampling = _random.NextDouble() < 0.02,
        };
        request.Signature = ByteString.CopyFrom(Router.Sign(request.ToByteArray()));
        return request;
    }

    private accounting_session_record Open(DateTimeOffset now)
    {
        var (up, down) = SessionBytes();
        var session = new OpenSession(NextRadio(), $"{RunId}-radius-{_nextEvent}", up, down, 2 + _random.Next(4));
        _open.Add(session);
        return Accounting(session, AccountingRecordKind.Start, 0, 0, now);
    }

    private accounting_session_record Advance(DateTimeOffset now)
    {
        var index = _random.Next(_open.Count);
        var session = _open[index];
        session.Step++;
        var stopping = session.Step >= session.Steps;
        var fraction = stopping ? 1.0 : (double)session.Step / session.Steps;
        var up = (long)(session.TotalUp * fraction);
        var down = (long)(session.TotalDown * fraction);
        if (stopping)
        {
            _open.RemoveAt(index);
        }

        return Accounting(session, stopping ? AccountingRecordKind.Stop : AccountingRecordKind.Interim, up, down, now);
    }

    private accounting_session_record Accounting(OpenSession session, AccountingRecordKind kind, long up, long down, DateTimeOffset now)
    {
        var technology = session.Radio.IsCbrs ? RadioAccessTechnology.Eutran : RadioAccessTechnology.Wlan;
        var e = RecordSigner.SignEvent(
            new DataTransferEvent(session.Radio.Key.PublicKey, up, down, technology, NextEventId(), Payer.PublicKey, now.ToUnixTimeSeconds(), ReadOnlyMemory<byte>.Empty)
            {
                AccountingKind = kind,
                AccountingSessionId = session.Id,
            },
            session.Radio.Key);
        var request = RecordSigner.SignSessionRequest(new DataTransferSessionRequest(e, up + down, Router.PublicKey, CarrierId, false, false, ReadOnlyMemory<byte>.Empty), Router);
        return new accounting_session_record
        {
            HotspotPubKey = ByteString.CopyFrom(e.HotspotKey.AsSpan()),
            UploadBytes = (ulong)e.UploadBytes,
            DownloadBytes = (ulong)e.DownloadBytes,
            RadioAccessTechnology = (data_transfer_radio_access_technology)(int)technology,
            EventId = e.EventId,
            Payer = ByteString.CopyFrom(e.Payer.AsSpan()),
            Timestamp = (ulong)e.TimestampUnixSeconds,
            AccountingKind = (accounting_kind)(int)kind,
            AccountingSessionId = session.Id,
            HotspotSignature = ByteString.CopyFrom(e.Signature.Span),
            RewardableBytes = (ulong)request.RewardableBytes,
            RouterPubKey = ByteString.CopyFrom(Router.PublicKey.AsSpan()),
            CarrierId = CarrierId,
            RouterSignature = ByteString.CopyFrom(request.Signature.Span),
        };
    }

    // Log-normal-ish: median about 4 MB, a long tail to a few hundred MB; download dominates as on mobile networks.
    private (long Up, long Down) SessionBytes()
    {
        var total = (long)Math.Min(5e8, Math.Exp(15.2 + (1.3 * Gaussian())));
        var up = total / (4 + _random.Next(6));
        return (up, total - up);
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private string NextEventId() => $"{RunId}-{_nextEvent++}";

    // A radio in proportion to its subscribers: each session is one subscriber's.
    private CarrierRadio NextRadio()
    {
        var pick = _random.Next(_cumulativeSubscribers[^1]);
        var index = Array.BinarySearch(_cumulativeSubscribers, pick + 1);
        return Radios[index >= 0 ? index : ~index];
    }

    private sealed class OpenSession(CarrierRadio radio, string id, long totalUp, long totalDown, int steps)
    {
        public CarrierRadio Radio { get; } = radio;

        public string Id { get; } = id;

        public long TotalUp { get; } = totalUp;

        public long TotalDown { get; } = totalDown;

        public int Steps { get; } = steps;

        public int Step { get; set; }
    }
}
