using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using WirelessNet.Coverage.Density;
using WirelessNet.Helium.Crypto;
using WirelessNet.Poc.Rewards;
using WirelessNet.Poc.Validation;
using WirelessNet.Proto.Helium.PocLora;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// Transmit scales and epoch rewards. Transmit scales come from the asserted res-12 cells of the participants active in
/// the last 60 h (HIP 17/104, <see cref="TransmitScales"/>). An epoch's manifest is computed once it has ended, from its
/// verified rounds and the transmit scales frozen at its end; both are stored, so every instance and every later request
/// serves the same bytes, and recomputing from the stored inputs gives them again.
/// </summary>
public sealed class PocRewards(IPocStore store, PocHotspotDirectory directory, IOptions<PocOptions> options, TimeProvider time)
{
    public const string ManifestDocument = "manifest";
    public const string ScalesDocument = "scales";

    /// <summary>Transmit scale per address, as of <paramref name="at"/>.</summary>
    public async Task<Dictionary<string, decimal>> ComputeTransmitScalesAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var assertions = new List<HotspotAssertion>();
        foreach (var participant in (await directory.GetParticipantsAsync(cancellationToken).ConfigureAwait(false)).Values)
        {
            if (participant.LastActive <= at
                && HeliumPublicKey.TryParseAddress(participant.Address, out var key)
                && await directory.GetAsync(key, cancellationToken).ConfigureAwait(false) is { Gateway.Denied: false } view
                && view.Hotspot.IsAsserted)
            {
                assertions.Add(new HotspotAssertion(participant.Address, view.Hotspot.Location, participant.LastActive));
            }
        }

        return TransmitScales.Compute(assertions, at);
    }

    /// <summary>
    /// The epoch's manifest as canonical JSON. A finished epoch's is stored on first request; a running epoch's is a
    /// provisional preview (current scales, rounds so far), never stored.
    /// </summary>
    public async Task<(byte[] Json, bool Final)> GetManifestAsync(long epochIndex, CancellationToken cancellationToken)
    {
        var epochStart = DateTimeOffset.FromUnixTimeMilliseconds(epochIndex * PocRoundRecord.EpochMs);
        var epochEnd = epochStart.AddMilliseconds(PocRoundRecord.EpochMs);
        var final = time.GetUtcNow() >= epochEnd + options.Value.RoundSettleDelay;
        if (final && await store.GetEpochDocumentAsync(epochIndex, ManifestDocument, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return (stored, true);
        }

        Dictionary<string, decimal> scales;
        if (final)
        {
            var frozen = await store.GetOrCreateEpochDocumentAsync(
                epochIndex, ScalesDocument, EncodeScales(await ComputeTransmitScalesAsync(epochEnd, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
            scales = DecodeScales(frozen);
        }
        else
        {
            scales = await ComputeTransmitScalesAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        var json = await ComputeManifestAsync(epochIndex, scales, cancellationToken).ConfigureAwait(false);
        return final
            ? (await store.GetOrCreateEpochDocumentAsync(epochIndex, ManifestDocument, json, cancellationToken).ConfigureAwait(false), true)
            : (json, false);
    }

    /// <summary>Recomputes a finished epoch's manifest from its stored rounds and frozen scales (audits compare it with the stored one).</summary>
    public async Task<byte[]?> RecomputeManifestAsync(long epochIndex, CancellationToken cancellationToken)
    {
        var frozen = await store.GetEpochDocumentAsync(epochIndex, ScalesDocument, cancellationToken).ConfigureAwait(false);
        return frozen is null ? null : await ComputeManifestAsync(epochIndex, DecodeScales(frozen), cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> ComputeManifestAsync(long epochIndex, Dictionary<string, decimal> scales, CancellationToken cancellationToken)
    {
        var records = await store.GetEpochRoundsAsync(epochIndex, cancellationToken).ConfigureAwait(false);
        var rounds = records.Select(r => ToResult(PocRoundRecord.FromJson(r))).Where(r => r is not null).Select(r => r!).ToList();
        var manifest = PocRewardCalculator.Compute(
            DateTimeOffset.FromUnixTimeMilliseconds(epochIndex * PocRoundRecord.EpochMs), options.Value.EpochPool, rounds, scales);
        return manifest.ToCanonicalJson();
    }

    // What the reward calculator reads of a round: validity, the beaconer, when, and which witnesses were selected.
    internal static PocRoundResult? ToResult(PocRoundRecord record)
    {
        if (!HeliumPublicKey.TryParseAddress(record.Beaconer, out var beaconer))
        {
            return null;
        }

        var beacon = new BeaconReport(beaconer, [], [], [], record.FrequencyHz, 0, 0, DateTimeOffset.FromUnixTimeMilliseconds(record.BeaconReceivedMs));
        var witnesses = new List<WitnessResult>(record.Witnesses.Count);
        foreach (var w in record.Witnesses)
        {
            if (HeliumPublicKey.TryParseAddress(w.Witness, out var key))
            {
                var report = new WitnessReport(key, [], w.FrequencyHz, 0, w.SignalDeciDbm, w.SnrDeciDb, DateTimeOffset.FromUnixTimeMilliseconds(w.ReceivedMs));
                var reason = ParseReason(w.Reason);
                witnesses.Add(new WitnessResult(report, reason, reason == InvalidReason.ReasonNone ? ParticipantSide.None : ParticipantSide.Witness, reason == InvalidReason.ReasonNone, w.Selected));
            }
        }

        var beaconReason = ParseReason(record.BeaconReason);
        return new PocRoundResult(beacon, beaconReason, beaconReason == InvalidReason.ReasonNone, witnesses);
    }

    private static InvalidReason ParseReason(string name) =>
        PocLoraReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("invalid_reason").FindValueByName(name) is { } value
            ? (InvalidReason)value.Number
            : InvalidReason.UnknownError;

    // "address=scale" lines sorted by address: a canonical form, so the snapshot stored first is byte-stable.
    private static byte[] EncodeScales(Dictionary<string, decimal> scales)
    {
        var text = new StringBuilder();
        foreach (var (address, scale) in scales.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.Append(address).Append('=').Append(RewardManifest.Canonical(scale)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static Dictionary<string, decimal> DecodeScales(byte[] encoded)
    {
        var scales = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(encoded).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = line.IndexOf('=', StringComparison.Ordinal);
            scales[line[..at]] = decimal.Parse(line[(at + 1)..], NumberStyles.Number, CultureInfo.InvariantCulture);
        }

        return scales;
    }
}
