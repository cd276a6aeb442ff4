using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Lns.Gateways;
using WirelessNet.Lns.Helium;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Primitives;
using WirelessNet.Poc.Hotspots;

namespace WirelessNet.Lns.Poc;

/// <summary>A participant with what the registry says about its gateway.</summary>
public sealed record PocHotspotView(HeliumPublicKey Key, Gateway Gateway, PocHotspot Hotspot);

/// <summary>
/// Who a hotspot is for PoC. Helium hotspots are their own keys (provisioned as <see cref="HeliumGatewayIds.FromPublicKey"/>);
/// gateways without a key (ChirpStack bridge over MQTT) take part under an ed25519 key the server derives from the
/// operator seed and the gateway EUI, so they can be challenged, witness and be paid like any hotspot. Location,
/// antenna gain, region and denial come from the gateway's provisioning (management API).
/// </summary>
public sealed class PocHotspotDirectory(IPocStore store, IDeviceRegistry registry, PocEntropySource entropy, TimeProvider time)
{
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("wirelessnet/poc/gateway-key/v1");
    private static readonly TimeSpan ParticipantCacheLifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<Eui64, HeliumPublicKey> _derived = new();
    private (IReadOnlyDictionary<string, PocParticipant> Participants, DateTimeOffset Expires) _participants = (new Dictionary<string, PocParticipant>(), DateTimeOffset.MinValue);

    /// <summary>The PoC key of a gateway that has none of its own (stable for a given operator seed).</summary>
    public HeliumPublicKey DerivedKey(Eui64 gatewayId) => _derived.GetOrAdd(gatewayId, id =>
    {
        Span<byte> input = stackalloc byte[Domain.Length + sizeof(ulong)];
        Domain.CopyTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input[Domain.Length..], id.Value);
        Span<byte> seed = stackalloc byte[32];
        HMACSHA256.HashData(entropy.Seed, input, seed);
        using var pair = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, seed);
        CryptographicOperations.ZeroMemory(seed);
        return pair.PublicKey;
    });

    /// <summary>The participants (cached for a few seconds: verifying a batch reads them once, not per report).</summary>
    public async ValueTask<IReadOnlyDictionary<string, PocParticipant>> GetParticipantsAsync(CancellationToken cancellationToken)
    {
        var cached = _participants;
        if (cached.Expires > time.GetUtcNow())
        {
            return cached.Participants;
        }

        var list = await store.GetParticipantsAsync(cancellationToken).ConfigureAwait(false);
        var byAddress = list.ToDictionary(p => p.Address, StringComparer.Ordinal);
        _participants = (byAddress, time.GetUtcNow() + ParticipantCacheLifetime);
        return byAddress;
    }

    /// <summary>Forgets the cached participants (after this instance added one).</summary>
    public void Invalidate() => _participants = (_participants.Participants, DateTimeOffset.MinValue);

    /// <summary>The gateway a key is provisioned as: a known participant's, else the Helium id of the key.</summary>
    public async ValueTask<Eui64> GatewayIdOfAsync(HeliumPublicKey key, CancellationToken cancellationToken)
    {
        var participants = await GetParticipantsAsync(cancellationToken).ConfigureAwait(false);
        return participants.TryGetValue(key.ToAddress(), out var participant) ? participant.GatewayId : HeliumGatewayIds.FromPublicKey(key);
    }

    /// <summary>The hotspot as the PoC rules see it, or null when its gateway is not provisioned (gateway_not_found).</summary>
    public async ValueTask<PocHotspotView?> GetAsync(HeliumPublicKey key, CancellationToken cancellationToken)
    {
        var gatewayId = await GatewayIdOfAsync(key, cancellationToken).ConfigureAwait(false);
        var gateway = await registry.GetGatewayAsync(gatewayId, cancellationToken).ConfigureAwait(false);
        return gateway is null ? null : new PocHotspotView(key, gateway, ToHotspot(key, gateway));
    }

    /// <summary>
    /// The PoC view of a provisioned gateway: the asserted location as its res-12 cell (none without a location), gain in
    /// dBi×10, region (a gateway in a region this server does not know cannot take part: not asserted).
    /// </summary>
    public static PocHotspot ToHotspot(HeliumPublicKey key, Gateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var known = RegionCatalog.TryGet(gateway.Region, out var region);
        var cell = gateway.Location is { } location && known
            ? H3Grid.LatLngToCell(location.Latitude, location.Longitude, 12)
            : H3Index.Null;
        if (!known)
        {
            RegionCatalog.TryGet("eu868", out region);
        }

        return new PocHotspot(key, cell, gateway.AntennaGainDbi10, region);
    }
}
