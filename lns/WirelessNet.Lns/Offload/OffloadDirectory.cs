using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Settlement;
using WirelessNet.Offload.Validation;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// The core's <see cref="IOffloadDirectory"/> over the store's configuration: an immutable snapshot swapped on
/// reload, so validation reads without locks or I/O. Reloaded every <see cref="OffloadOptions.DirectoryRefresh"/>
/// (changes made through another instance) and right after a change through this one.
/// </summary>
public sealed class OffloadDirectory : IOffloadDirectory
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IOffloadStore _store;
    private volatile Snapshot _snapshot = Snapshot.Empty;

    // Parsed keys of the last reload by address. Parsing an ecc_compact address decompresses its point (BigInteger
    // arithmetic, ~100 µs), and every reload (every DirectoryRefresh, and after each configuration change) used to
    // parse every hotspot twice: with 100,000 hotspots that alone kept a core busy.
    private volatile Dictionary<string, HeliumPublicKey> _keys = new(StringComparer.Ordinal);

    public OffloadDirectory(IOffloadStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Rate cards of every carrier, as of the last reload.</summary>
    public RateCardBook RateCards => _snapshot.RateCards;

    public bool TryGetCarrier(string carrierId, [NotNullWhen(true)] out CarrierContract? contract) =>
        _snapshot.Carriers.TryGetValue(carrierId, out contract);

    public bool TryGetHotspot(HeliumPublicKey hotspotKey, [NotNullWhen(true)] out HotspotRegistration? hotspot) =>
        _snapshot.Hotspots.TryGetValue(hotspotKey, out hotspot);

    /// <summary>The carrier a router key is registered for.</summary>
    public bool TryGetCarrierOfRouter(HeliumPublicKey routerKey, [NotNullWhen(true)] out CarrierSettings? carrier) =>
        _snapshot.RouterCarriers.TryGetValue(routerKey, out carrier);

    public bool TryGetSettings(string carrierId, [NotNullWhen(true)] out CarrierSettings? carrier) =>
        _snapshot.Settings.TryGetValue(carrierId, out carrier);

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var carriers = await _store.GetCarriersAsync(cancellationToken).ConfigureAwait(false);
        var hotspots = await _store.GetHotspotsAsync(cancellationToken).ConfigureAwait(false);
        var cards = await _store.GetRateCardsAsync(cancellationToken).ConfigureAwait(false);
        var book = new RateCardBook();
        foreach (var json in cards)
        {
            book.Add(JsonSerializer.Deserialize<RateCard>(json, Json)!);
        }

        // Only addresses still configured are carried over, so the cache is bounded by the configuration.
        var previous = _keys;
        var keys = new Dictionary<string, HeliumPublicKey>(hotspots.Count + carriers.Count, StringComparer.Ordinal);
        HeliumPublicKey Key(string address)
        {
            if (!keys.TryGetValue(address, out var key))
            {
                key = previous.TryGetValue(address, out var known) ? known : HeliumPublicKey.ParseAddress(address);
                keys[address] = key;
            }

            return key;
        }

        var routers = new Dictionary<HeliumPublicKey, CarrierSettings>();
        foreach (var carrier in carriers)
        {
            foreach (var address in carrier.RouterKeys)
            {
                routers[Key(address)] = carrier;
            }
        }

        var registrations = hotspots.Select(h => new HotspotRegistration(
            Key(h.HotspotKey),
            h.Banned,
            h is { Latitude: { } lat, Longitude: { } lon } ? new LatLng(lat, lon) : null));
        _snapshot = new Snapshot(
            carriers.ToFrozenDictionary(
                c => c.CarrierId,
                c => new CarrierContract(c.CarrierId, c.RouterKeys.Select(Key).ToFrozenSet(), c.AllowedTechnologies.ToFrozenSet(), c.LateRecordLimit),
                StringComparer.Ordinal),
            carriers.ToFrozenDictionary(c => c.CarrierId, StringComparer.Ordinal),
            routers.ToFrozenDictionary(),
            registrations.ToFrozenDictionary(r => r.HotspotKey),
            book);
        _keys = keys;
    }

    private sealed record Snapshot(
        FrozenDictionary<string, CarrierContract> Carriers,
        FrozenDictionary<string, CarrierSettings> Settings,
        FrozenDictionary<HeliumPublicKey, CarrierSettings> RouterCarriers,
        FrozenDictionary<HeliumPublicKey, HotspotRegistration> Hotspots,
        RateCardBook RateCards)
    {
        public static Snapshot Empty { get; } = new(
            FrozenDictionary<string, CarrierContract>.Empty,
            FrozenDictionary<string, CarrierSettings>.Empty,
            FrozenDictionary<HeliumPublicKey, CarrierSettings>.Empty,
            FrozenDictionary<HeliumPublicKey, HotspotRegistration>.Empty,
            new RateCardBook());
    }
}

/// <summary>Reloads the <see cref="OffloadDirectory"/> at start and then periodically.</summary>
internal sealed class OffloadDirectoryRefresher(OffloadDirectory directory, IOptions<OffloadOptions> options, ILogger<OffloadDirectoryRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Loaded before the host starts serving, so the first record does not meet an empty directory.
        await directory.ReloadAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DirectoryRefresh);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await directory.ReloadAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The last good snapshot keeps serving; the next tick retries.
                logger.LogWarning(e, "Offload directory reload failed");
            }
        }
    }
}
