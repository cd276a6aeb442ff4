using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Records;

namespace WirelessNet.Offload.Validation;

/// <summary>What a carrier's contract says about the records it may send.</summary>
/// <param name="CarrierId">Carrier's id, as routers put it in envelopes.</param>
/// <param name="RouterKeys">Router keys registered for this carrier; an envelope signed by any other key is rejected.</param>
/// <param name="AllowedTechnologies">Radio technologies the contract pays for.</param>
/// <param name="LateRecordLimit">How old a record may be and still be taken.</param>
public sealed record CarrierContract(
    string CarrierId,
    IReadOnlySet<HeliumPublicKey> RouterKeys,
    IReadOnlySet<RadioAccessTechnology> AllowedTechnologies,
    TimeSpan LateRecordLimit)
{
    /// <summary>Technologies allowed when a contract says nothing else: LTE only, which is what CBRS offload carries.</summary>
    public static IReadOnlySet<RadioAccessTechnology> DefaultTechnologies { get; } =
        new[] { RadioAccessTechnology.Eutran }.ToFrozenSet();

    /// <summary>Late-record limit when a contract says nothing else.</summary>
    public static TimeSpan DefaultLateRecordLimit { get; } = TimeSpan.FromDays(3);

    /// <summary>A contract with the default technologies and late-record limit.</summary>
    public static CarrierContract WithDefaults(string carrierId, params HeliumPublicKey[] routerKeys) =>
        new(carrierId, routerKeys.ToFrozenSet(), DefaultTechnologies, DefaultLateRecordLimit);
}

/// <summary>A hotspot as the offload domain knows it.</summary>
/// <param name="HotspotKey">The hotspot's key.</param>
/// <param name="Banned">Banned hotspots' traffic and heartbeats are rejected.</param>
/// <param name="AssertedLocation">Asserted position, if any; heartbeats are trusted by their distance to it.</param>
public sealed record HotspotRegistration(HeliumPublicKey HotspotKey, bool Banned, LatLng? AssertedLocation)
{
    /// <summary>Resolution of the hexes usage is metered and settled by.</summary>
    public const int MeteringResolution = 8;

    /// <summary>Res-8 H3 cell of the asserted location, or <see cref="H3Index.Null"/> when none was asserted.</summary>
    public H3Index Hex { get; } = AssertedLocation is { } location
        ? H3Grid.LatLngToCell(location, MeteringResolution)
        : H3Index.Null;
}

/// <summary>Look-ups the validators need; implemented over the chain/config store elsewhere.</summary>
public interface IOffloadDirectory
{
    /// <summary>The carrier's contract, if the carrier is known.</summary>
    bool TryGetCarrier(string carrierId, [NotNullWhen(true)] out CarrierContract? contract);

    /// <summary>The hotspot, if it is known.</summary>
    bool TryGetHotspot(HeliumPublicKey hotspotKey, [NotNullWhen(true)] out HotspotRegistration? hotspot);
}

/// <summary>An in-memory directory, for tests and single-node deployments fed from configuration.</summary>
public sealed class InMemoryOffloadDirectory : IOffloadDirectory
{
    private readonly Dictionary<string, CarrierContract> _carriers = new(StringComparer.Ordinal);
    private readonly Dictionary<HeliumPublicKey, HotspotRegistration> _hotspots = [];
    private readonly Lock _gate = new();

    /// <summary>Adds or replaces a carrier.</summary>
    public void Upsert(CarrierContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        lock (_gate)
        {
            _carriers[contract.CarrierId] = contract;
        }
    }

    /// <summary>Adds or replaces a hotspot.</summary>
    public void Upsert(HotspotRegistration hotspot)
    {
        ArgumentNullException.ThrowIfNull(hotspot);
        lock (_gate)
        {
            _hotspots[hotspot.HotspotKey] = hotspot;
        }
    }

    /// <inheritdoc />
    public bool TryGetCarrier(string carrierId, [NotNullWhen(true)] out CarrierContract? contract)
    {
        lock (_gate)
        {
            return _carriers.TryGetValue(carrierId, out contract);
        }
    }

    /// <inheritdoc />
    public bool TryGetHotspot(HeliumPublicKey hotspotKey, [NotNullWhen(true)] out HotspotRegistration? hotspot)
    {
        lock (_gate)
        {
            return _hotspots.TryGetValue(hotspotKey, out hotspot);
        }
    }
}
