using WirelessNet.Helium.Crypto;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Carriers;

/// <summary>One carrier radio of a world with its Helium key.</summary>
public sealed record CarrierRadio(WorldCarrierRadio Definition, HeliumKeyPair Key)
{
    public bool IsCbrs => Definition.Kind == CarrierRadioKinds.Cbrs;
}

/// <summary>
/// A carrier's part of a world: its radios with their keys, the router key that signs its session envelopes and the
/// key paying its data credits, all derived from the world seed, so a server configured once recognises the same
/// network on the next run.
/// </summary>
public sealed class CarrierNetwork
{
    private CarrierNetwork(string carrierId, HeliumKeyPair router, HeliumKeyPair payer, IReadOnlyList<CarrierRadio> radios)
    {
        CarrierId = carrierId;
        Router = router;
        Payer = payer;
        Radios = radios;
    }

    public string CarrierId { get; }

    /// <summary>The carrier router's key (register it for the carrier).</summary>
    public HeliumKeyPair Router { get; }

    /// <summary>The key paying data credits.</summary>
    public HeliumKeyPair Payer { get; }

    /// <summary>The radios (register them as hotspots with their locations).</summary>
    public IReadOnlyList<CarrierRadio> Radios { get; }

    /// <summary>Every carrier of the world with its radios, in order of first appearance.</summary>
    public static IReadOnlyList<CarrierNetwork> FromWorld(RadioWorldDefinition world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var networks = new List<CarrierNetwork>();
        foreach (var carrier in world.CarrierRadios.Select((r, i) => (Radio: r, Index: i)).GroupBy(x => x.Radio.CarrierId, StringComparer.Ordinal))
        {
            var radios = carrier.Select(x => new CarrierRadio(x.Radio, WorldGenerator.CarrierRadioKey(world.Seed, x.Index, x.Radio.HeliumKeyType))).ToList();
            networks.Add(new CarrierNetwork(
                carrier.Key, WorldGenerator.CarrierRouterKey(world.Seed, carrier.Key), WorldGenerator.CarrierPayerKey(world.Seed, carrier.Key), radios));
        }

        return networks;
    }

    /// <summary>A carrier network on its own (for load generation): the radios a world with these options would hold.</summary>
    public static CarrierNetwork Generate(WorldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CarrierRadios, 1);
        var world = new RadioWorldDefinition(options.Seed, options.CentreLatitude, options.CentreLongitude, options.RadiusKm, options.Environment, [], [])
        {
            CarrierRadios = WorldGenerator.CarrierRadios(options),
        };
        return FromWorld(world)[0];
    }
}
