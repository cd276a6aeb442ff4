namespace WirelessNet.Poc.Entropy;

/// <summary>
/// One link of the entropy chain: the value, the Unix time (seconds) it was produced at and the scheme version.
/// Valid for <see cref="EntropyChain.LifespanSeconds"/> from <paramref name="Timestamp"/>.
/// </summary>
public sealed record EntropyReport(byte[] Data, long Timestamp, uint Version)
{
    /// <summary>True when <paramref name="unixTimeMilliseconds"/> lies in [Timestamp, Timestamp + lifespan], both ends included.</summary>
    public bool IsValidAt(long unixTimeMilliseconds, long lifespanSeconds = EntropyChain.LifespanSeconds) =>
        unixTimeMilliseconds >= Timestamp * 1000 && unixTimeMilliseconds <= (Timestamp + lifespanSeconds) * 1000;

    public bool IsValidAt(DateTimeOffset time, long lifespanSeconds = EntropyChain.LifespanSeconds) =>
        IsValidAt(time.ToUnixTimeMilliseconds(), lifespanSeconds);
}
