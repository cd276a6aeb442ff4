using System.Buffers.Binary;
using Google.Protobuf;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Signing;
using WirelessNet.Proto.Helium.PocMobile;
using WirelessNet.Proto.Offload;

namespace WirelessNet.Simulators.Carriers;

/// <summary>Shape of the simulated traffic.</summary>
/// <param name="CarrierId">Carrier the router reports for.</param>
/// <param name="Hotspots">Hotspots carrying traffic (P-256 and ed25519 keys alternate, as deployed radios mix them).</param>
/// <param name="AccountingShare">Fraction of sessions reported RADIUS-style (start, interims, stop) instead of one Helium event.</param>
/// <param name="Seed">Seed of keys and traffic, so a run can be repeated.</param>
public sealed record CarrierTrafficProfile(string CarrierId, int Hotspots, double AccountingShare, int Seed);

/// <summary>
/// A carrier's radio network: hotspots (CBRS cells and Wi-Fi access points) that sign their data-transfer events and
/// heartbeats, and the carrier router that signs the envelopes, with real Helium keys. Sessions are sized like mobile
/// data sessions (heavy-tailed: most a few MB, some hundreds of MB). RADIUS sessions report cumulative counters in a
/// start, interims and a stop. Deterministic for a seed; keys are derived from the seed, so a server configured once
/// recognises the same network on the next run.
/// </summary>
public sealed class CarrierRadioSimulator
{
    private readonly CarrierTrafficProfile _profile;
    private readonly Random _random;
    private readonly List<OpenSession> _open = [];
    private long _nextEvent;

    public CarrierRadioSimulator(CarrierTrafficProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfLessThan(profile.Hotspots, 1);
        _profile = profile;
        _random = new Random(profile.Seed);
        Router = KeyFrom(profile.Seed, 0, HeliumKeyType.Ed25519);
        Payer = KeyFrom(profile.Seed, 1, HeliumKeyType.Ed25519);
        Hotspots = Enumerable.Range(0, profile.Hotspots)
            .Select(i => KeyFrom(profile.Seed, 1000 + i, i % 2 == 0 ? HeliumKeyType.EccCompact : HeliumKeyType.Ed25519))
            .ToList();
        RunId = $"{profile.Seed:x}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>The carrier router's key (register it for the carrier).</summary>
    public HeliumKeyPair Router { get; }

    /// <summary>The key paying data credits.</summary>
    public HeliumKeyPair Payer { get; }

    /// <summary>The hotspots (register them with a location).</summary>
    public IReadOnlyList<HeliumKeyPair> Hotspots { get; }

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
            else if (_random.NextDouble() < _profile.AccountingShare)
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

    /// <summary>A signed Wi-Fi heartbeat of each hotspot at <paramref name="when"/>, placed at its asserted location.</summary>
    public heartbeat_batch_req_v1 Heartbeats(DateTimeOffset when, Func<int, (double Lat, double Lon)> location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var batch = new heartbeat_batch_req_v1();
        for (var i = 0; i < Hotspots.Count; i++)
        {
            var (lat, lon) = location(i);
            var heartbeat = new wifi_heartbeat_req_v1
            {
                PubKey = ByteString.CopyFrom(Hotspots[i].PublicKey.AsSpan()),
                Timestamp = (ulong)when.ToUnixTimeSeconds(),
                Lat = lat,
                Lon = lon,
                OperationMode = true,
                LocationSource = location_source.Asserted,
                LocationValidationTimestamp = (ulong)when.AddDays(-1).ToUnixTimeSeconds(),
            };
            heartbeat.Signature = ByteString.CopyFrom(Hotspots[i].Sign(heartbeat.ToByteArray()));
            batch.WifiHeartbeats.Add(heartbeat);
        }

        return batch;
    }

    private data_transfer_session_req_v1 Standalone(DateTimeOffset now)
    {
        var hotspot = Hotspots[_random.Next(Hotspots.Count)];
        var (up, down) = SessionBytes();
        var e = new data_transfer_event
        {
            PubKey = ByteString.CopyFrom(hotspot.PublicKey.AsSpan()),
            UploadBytes = (ulong)up,
            DownloadBytes = (ulong)down,
            RadioAccessTechnology = data_transfer_radio_access_technology.Eutran,
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
        var session = new OpenSession(Hotspots[_random.Next(Hotspots.Count)], $"{RunId}-radius-{_nextEvent}", up, down, 2 + _random.Next(4));
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
        var e = RecordSigner.SignEvent(
            new DataTransferEvent(session.Hotspot.PublicKey, up, down, RadioAccessTechnology.Eutran, NextEventId(), Payer.PublicKey, now.ToUnixTimeSeconds(), ReadOnlyMemory<byte>.Empty)
            {
                AccountingKind = kind,
                AccountingSessionId = session.Id,
            },
            session.Hotspot);
        var request = RecordSigner.SignSessionRequest(new DataTransferSessionRequest(e, up + down, Router.PublicKey, _profile.CarrierId, false, false, ReadOnlyMemory<byte>.Empty), Router);
        return new accounting_session_record
        {
            HotspotPubKey = ByteString.CopyFrom(e.HotspotKey.AsSpan()),
            UploadBytes = (ulong)e.UploadBytes,
            DownloadBytes = (ulong)e.DownloadBytes,
            RadioAccessTechnology = data_transfer_radio_access_technology.Eutran,
            EventId = e.EventId,
            Payer = ByteString.CopyFrom(e.Payer.AsSpan()),
            Timestamp = (ulong)e.TimestampUnixSeconds,
            AccountingKind = (accounting_kind)(int)kind,
            AccountingSessionId = session.Id,
            HotspotSignature = ByteString.CopyFrom(e.Signature.Span),
            RewardableBytes = (ulong)request.RewardableBytes,
            RouterPubKey = ByteString.CopyFrom(Router.PublicKey.AsSpan()),
            CarrierId = _profile.CarrierId,
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

    private static HeliumKeyPair KeyFrom(int seed, int index, HeliumKeyType type)
    {
        // ecc_compact needs a scalar whose public point is compact; step the counter until one is (about half are).
        for (var attempt = 0; ; attempt++)
        {
            var entropy = new byte[32];
            BinaryPrimitives.WriteInt32BigEndian(entropy, seed);
            BinaryPrimitives.WriteInt32BigEndian(entropy.AsSpan(4), index);
            BinaryPrimitives.WriteInt32BigEndian(entropy.AsSpan(8), attempt);
            entropy[31] = 1;
            try
            {
                return HeliumKeyPair.FromEntropy(type, HeliumNetwork.MainNet, entropy);
            }
            catch (ArgumentException) when (attempt < 64)
            {
            }
        }
    }

    private sealed class OpenSession(HeliumKeyPair hotspot, string id, long totalUp, long totalDown, int steps)
    {
        public HeliumKeyPair Hotspot { get; } = hotspot;

        public string Id { get; } = id;

        public long TotalUp { get; } = totalUp;

        public long TotalDown { get; } = totalDown;

        public int Steps { get; } = steps;

        public int Step { get; set; }
    }
}
