namespace WirelessNet.Coverage.Density;

/// <summary>
/// The HIP 17 density parameters of one resolution: a hex may hold <see cref="Target"/> hotspots (clipped count) for each
/// occupied neighbour beyond <see cref="Neighbors"/> − 1, up to <see cref="Max"/>.
/// </summary>
/// <param name="Neighbors">N: occupied hexes of the 1-ring (the hex included) before the limit grows.</param>
/// <param name="Target">The clipped count a hex needs to count as occupied, and the limit's step.</param>
/// <param name="Max">The limit's ceiling; at least <paramref name="Target"/>.</param>
public readonly record struct HexDensityRule(int Neighbors, long Target, long Max)
{
    /// <summary>min(max, target × max(1, occupied − N + 1)).</summary>
    public long Limit(int occupiedNeighbours) =>
        Math.Min(Max, Target * Math.Max(1, occupiedNeighbours - Neighbors + 1));
}
