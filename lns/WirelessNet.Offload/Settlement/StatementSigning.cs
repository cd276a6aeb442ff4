using WirelessNet.Helium.Crypto;
using WirelessNet.Offload.Signing;

namespace WirelessNet.Offload.Settlement;

/// <summary>A statement with the canonical bytes that were signed and the server's signature over them.</summary>
/// <param name="Statement">The statement.</param>
/// <param name="CanonicalBytes">Its canonical serialisation; what a partner stores and verifies.</param>
/// <param name="Signature">Ed25519 signature over <paramref name="CanonicalBytes"/>.</param>
/// <param name="SignerKey">Server key that signed.</param>
public sealed record SignedStatement(CarrierStatement Statement, ReadOnlyMemory<byte> CanonicalBytes, ReadOnlyMemory<byte> Signature, HeliumPublicKey SignerKey);

/// <summary>
/// Signs statements with the server's ed25519 key over <see cref="Serialize"/>, and verifies them offline. The
/// encoding is documented in docs/offload.md so a partner can rebuild it in any language.
/// </summary>
public static class StatementSigning
{
    /// <summary>Domain tag starting every statement encoding.</summary>
    public const string StatementTag = "wirelessnet.offload.carrier_statement.v1";

    /// <summary>Signs with <paramref name="serverKey"/>, which must be ed25519.</summary>
    public static SignedStatement Sign(CarrierStatement statement, HeliumKeyPair serverKey)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(serverKey);
        if (serverKey.KeyType != HeliumKeyType.Ed25519)
        {
            throw new ArgumentException("statements are signed with an ed25519 key", nameof(serverKey));
        }

        var bytes = Serialize(statement);
        return new SignedStatement(statement, bytes, serverKey.Sign(bytes), serverKey.PublicKey);
    }

    /// <summary>
    /// True when the signature verifies under <paramref name="trustedServerKey"/> and the canonical bytes are those of
    /// the statement object (so neither the bytes nor the object was altered).
    /// </summary>
    public static bool Verify(SignedStatement signed, HeliumPublicKey trustedServerKey)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(trustedServerKey);
        return Verify(signed.CanonicalBytes.Span, signed.Signature.Span, trustedServerKey)
            && Serialize(signed.Statement).AsSpan().SequenceEqual(signed.CanonicalBytes.Span);
    }

    /// <summary>True when <paramref name="signature"/> is the server's ed25519 signature over <paramref name="canonicalBytes"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> canonicalBytes, ReadOnlySpan<byte> signature, HeliumPublicKey trustedServerKey)
    {
        ArgumentNullException.ThrowIfNull(trustedServerKey);
        return trustedServerKey.KeyType == HeliumKeyType.Ed25519 && trustedServerKey.Verify(canonicalBytes, signature);
    }

    /// <summary>The canonical serialisation: every field in declaration order (see docs/offload.md).</summary>
    public static byte[] Serialize(CarrierStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var writer = new CanonicalWriter();
        writer.WriteString(StatementTag);
        writer.WriteString(statement.CarrierId);
        writer.WriteInt64(statement.Sequence);
        writer.WriteByte((byte)statement.Kind);
        WritePeriod(writer, statement.Period);
        writer.WriteInt64(statement.IssuedAt.ToUnixTimeSeconds());

        var card = statement.RateCard;
        writer.WriteString(card.CarrierId);
        writer.WriteInt64(card.EffectiveFrom.ToUnixTimeSeconds());
        writer.WriteDecimal(card.PricePerGigabyte);
        writer.WriteString(card.Currency);
        writer.WriteDecimal(card.OperatorRevenueShare);
        WriteOptionalDecimal(writer, card.FloorMultiplier);
        WriteOptionalDecimal(writer, card.CeilingMultiplier);

        writer.WriteInt32(statement.Lines.Count);
        foreach (var line in statement.Lines)
        {
            writer.WriteBytes(line.Hotspot.AsSpan());
            writer.WriteUInt64(line.Hex.Value);
            writer.WriteInt64(line.Records);
            writer.WriteInt64(line.UploadBytes);
            writer.WriteInt64(line.DownloadBytes);
            writer.WriteInt64(line.RewardableBytes);
            writer.WriteInt64(line.DataCredits);
            writer.WriteDecimal(line.RatePerGigabyte);
            writer.WriteDecimal(line.Amount);
            writer.WriteDecimal(line.OperatorShare);
            writer.WriteByte((byte)line.Adjustment);
            WritePeriod(writer, line.OriginalPeriod);
            writer.WriteInt64(line.OriginalSequence);
            writer.WriteInt32(line.EventIds.Count);
            foreach (var eventId in line.EventIds)
            {
                writer.WriteString(eventId);
            }
        }

        writer.WriteInt32(statement.HexLines.Count);
        foreach (var hex in statement.HexLines)
        {
            writer.WriteUInt64(hex.Hex.Value);
            writer.WriteInt32(hex.Hotspots);
            writer.WriteInt64(hex.Records);
            writer.WriteInt64(hex.UploadBytes);
            writer.WriteInt64(hex.DownloadBytes);
            writer.WriteInt64(hex.RewardableBytes);
            writer.WriteInt64(hex.DataCredits);
            writer.WriteDecimal(hex.Amount);
            writer.WriteDecimal(hex.OperatorShare);
        }

        var totals = statement.Totals;
        writer.WriteInt64(totals.Records);
        writer.WriteInt64(totals.UploadBytes);
        writer.WriteInt64(totals.DownloadBytes);
        writer.WriteInt64(totals.RewardableBytes);
        writer.WriteInt64(totals.DataCredits);
        writer.WriteDecimal(totals.Amount);
        writer.WriteDecimal(totals.OperatorShare);
        WriteOptionalTime(writer, totals.EarliestRecord);
        WriteOptionalTime(writer, totals.LatestRecord);
        return writer.ToArray();
    }

    private static void WritePeriod(CanonicalWriter writer, SettlementPeriod period)
    {
        writer.WriteInt64(period.Start.ToUnixTimeSeconds());
        writer.WriteInt64(period.End.ToUnixTimeSeconds());
    }

    private static void WriteOptionalDecimal(CanonicalWriter writer, decimal? value)
    {
        writer.WriteBool(value.HasValue);
        if (value is { } present)
        {
            writer.WriteDecimal(present);
        }
    }

    private static void WriteOptionalTime(CanonicalWriter writer, DateTimeOffset? value)
    {
        writer.WriteBool(value.HasValue);
        if (value is { } present)
        {
            writer.WriteInt64(present.ToUnixTimeSeconds());
        }
    }
}
