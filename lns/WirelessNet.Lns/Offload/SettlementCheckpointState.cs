using System.Text.Json;
using System.Text.Json.Serialization;
using WirelessNet.Coverage.H3;
using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Settlement;

namespace WirelessNet.Lns.Offload;

/// <summary>
/// A carrier's settlement as of its last log entry, stored with it: the ledger's carried state without its period
/// books (those are stored per period and loaded only when a close or dispute touches them), the periods closed,
/// and the last settlement epoch whose tallies are in the books. A close reads only the epochs after it.
/// </summary>
/// <param name="ConsumedEpoch">Last epoch added to the books (−1 before the first close).</param>
/// <param name="ClosedPeriods">Starts (Unix s) of the closed periods.</param>
/// <param name="Ledger">Sequence counter, queued adjustments and disputed ids (periods left out).</param>
public sealed record SettlementCheckpointState(long ConsumedEpoch, IReadOnlyList<long> ClosedPeriods, CarrierLedgerState Ledger)
{
    /// <summary>JSON of the checkpoint and the period books: Helium keys as addresses, hexes as numbers.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new HeliumPublicKeyJsonConverter(), new H3IndexJsonConverter() },
    };

    /// <summary>The state of a carrier that never closed a period.</summary>
    public static SettlementCheckpointState Empty(string carrierId) => new(-1, [], new CarrierLedgerState(carrierId, 1, [], [], []));

    private sealed class HeliumPublicKeyJsonConverter : JsonConverter<HeliumPublicKey>
    {
        public override HeliumPublicKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            HeliumPublicKey.ParseAddress(reader.GetString() ?? throw new JsonException("a Helium address was expected"));

        public override void Write(Utf8JsonWriter writer, HeliumPublicKey value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToAddress());
    }

    private sealed class H3IndexJsonConverter : JsonConverter<H3Index>
    {
        public override H3Index Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetUInt64());

        public override void Write(Utf8JsonWriter writer, H3Index value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
    }
}
