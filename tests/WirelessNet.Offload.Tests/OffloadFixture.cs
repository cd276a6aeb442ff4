using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;
using WirelessNet.Offload.Signing;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Offload.Tests;

/// <summary>A carrier, its router, a few hotspots and payers, and a validator wired over in-memory stores.</summary>
internal sealed class OffloadFixture : IDisposable
{
    public const string CarrierId = "carrier-a";

    // San Francisco: hotspots are asserted a few hundred metres apart so they fall in different res-8 hexes.
    public static readonly LatLng Origin = new(37.7749, -122.4194);

    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static int _entropyCounter;

    public OffloadFixture(int hotspotCount = 3, int payerCount = 2)
    {
        Router = NewKey();
        OtherRouter = NewKey();
        Hotspots = Enumerable.Range(0, hotspotCount).Select(_ => NewKey()).ToList();
        Payers = Enumerable.Range(0, payerCount).Select(_ => NewKey()).ToList();
        Directory.Upsert(CarrierContract.WithDefaults(CarrierId, Router.PublicKey));
        for (var i = 0; i < Hotspots.Count; i++)
        {
            Directory.Upsert(new HotspotRegistration(Hotspots[i].PublicKey, false, AssertedLocation(i)));
        }

        Validator = new TransferValidator(Directory, new HeliumRecordSignatureVerifier(), Deduplication, Sessions, Options);
    }

    public HeliumKeyPair Router { get; }

    public HeliumKeyPair OtherRouter { get; }

    public List<HeliumKeyPair> Hotspots { get; }

    public List<HeliumKeyPair> Payers { get; }

    public InMemoryOffloadDirectory Directory { get; } = new();

    public InMemoryEventDeduplicationIndex Deduplication { get; } = new(TimeSpan.FromDays(4));

    public InMemoryAccountingSessionStore Sessions { get; } = new();

    public TransferValidationOptions Options { get; } = new() { MaxBytesPerRecord = 10_000_000_000 };

    public TransferValidator Validator { get; }

    /// <summary>Deterministic ed25519 keys, so failures reproduce.</summary>
    public static HeliumKeyPair NewKey()
    {
        var entropy = new byte[32];
        BitConverter.TryWriteBytes(entropy, Interlocked.Increment(ref _entropyCounter));
        entropy[31] = 0x5A;
        return HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, entropy);
    }

    public static LatLng AssertedLocation(int hotspotIndex) =>
        new(Origin.Lat + (hotspotIndex % 7 * 0.01), Origin.Lng + (hotspotIndex / 7 * 0.01));

    public DataTransferEvent Event(
        string eventId,
        long upload = 1_000,
        long download = 2_000,
        int hotspot = 0,
        int payer = 0,
        DateTimeOffset? at = null,
        RadioAccessTechnology technology = RadioAccessTechnology.Eutran) =>
        new(Hotspots[hotspot].PublicKey, upload, download, technology, eventId, Payers[payer].PublicKey, (at ?? Now).ToUnixTimeSeconds(), ReadOnlyMemory<byte>.Empty);

    /// <summary>Signs the event with its hotspot's key and wraps it in an envelope signed by the router.</summary>
    public DataTransferSessionRequest Request(
        DataTransferEvent transferEvent,
        long? rewardable = null,
        HeliumKeyPair? router = null,
        bool rewardCancelled = false,
        string carrierId = CarrierId)
    {
        var hotspotKey = Hotspots.Single(key => key.PublicKey == transferEvent.HotspotKey);
        var signedEvent = RecordSigner.SignEvent(transferEvent, hotspotKey);
        var routerKey = router ?? Router;
        var request = new DataTransferSessionRequest(
            signedEvent,
            rewardable ?? (transferEvent.UploadBytes + transferEvent.DownloadBytes),
            routerKey.PublicKey,
            carrierId,
            Sampling: false,
            rewardCancelled,
            ReadOnlyMemory<byte>.Empty);
        return RecordSigner.SignSessionRequest(request, routerKey);
    }

    public TransferValidationResult Validate(DataTransferSessionRequest request, DateTimeOffset? now = null) =>
        Validator.Validate(request, now ?? Now);

    public void Dispose()
    {
        Router.Dispose();
        OtherRouter.Dispose();
        foreach (var key in Hotspots.Concat(Payers))
        {
            key.Dispose();
        }
    }
}
