using System.Collections.Concurrent;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;
using Common = WirelessNet.Proto.ChirpStack.Common;
using Gw = WirelessNet.Proto.ChirpStack.Gateway;

namespace WirelessNet.Lns.Mqtt.Gateways;

/// <summary>
/// Converts ChirpStack Gateway Bridge v4 payloads (protobuf, or proto3 JSON when the bridge runs with the JSON
/// marshaler) to the transport-independent gateway records and back. Pure: no I/O. It remembers, per gateway, the
/// encoding the gateway last used, because the bridge only understands commands in the encoding it is configured for.
/// </summary>
public sealed class GatewayMessageCodec
{
    /// <summary>The largest PHYPayload LoRa can carry.</summary>
    public const int MaxPhyPayloadLength = 255;

    /// <summary>No bridge message comes near this; larger payloads are refused before parsing.</summary>
    public const int MaxPayloadLength = 64 * 1024;

    private static readonly JsonParser ProtoJsonParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonFormatter ProtoJsonFormatter = new(JsonFormatter.Settings.Default);
    private static readonly byte[] GatewayIdKey = "gatewayId"u8.ToArray();

    private readonly ConcurrentDictionary<Eui64, GatewayTransport> _lastEncoding = new();

    /// <summary>The encoding the gateway last used; false when nothing decodable was received from it yet.</summary>
    public bool TryGetEncoding(Eui64 gatewayId, out GatewayTransport encoding) => _lastEncoding.TryGetValue(gatewayId, out encoding);

    /// <summary>The encoding to send commands to the gateway in: the one it last used, else protobuf (the bridge's default).</summary>
    public GatewayTransport EncodingFor(Eui64 gatewayId) =>
        _lastEncoding.TryGetValue(gatewayId, out var encoding) ? encoding : GatewayTransport.MqttProtobuf;

    /// <summary>
    /// JSON when the payload is a JSON object or mentions <c>gatewayId</c> (every bridge JSON message carries it;
    /// protobuf never contains field names). Everything else is treated as protobuf.
    /// </summary>
    public static GatewayTransport DetectEncoding(ReadOnlySpan<byte> payload)
    {
        var trimmed = payload.TrimStart(" \t\r\n"u8);
        return (trimmed.Length > 0 && trimmed[0] == (byte)'{') || payload.IndexOf(GatewayIdKey) >= 0
            ? GatewayTransport.MqttJson
            : GatewayTransport.MqttProtobuf;
    }

    /// <summary>
    /// <c>event/up</c>. Receptions without a valid CRC are rejected (as ChirpStack does), and so are frames whose
    /// gateway id differs from the topic's: the topic is what the broker's ACL vouches for.
    /// </summary>
    public MqttDecodeResult<UplinkReception> DecodeUplink(Eui64 topicGatewayId, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        if (!TryParse(payload, Gw.UplinkFrame.Parser, out var frame, out var encoding, out var rejection))
        {
            return MqttDecodeResult<UplinkReception>.Rejected(rejection);
        }

        var rxInfo = frame.RxInfo;
        if (rxInfo is null)
        {
            return MqttDecodeResult<UplinkReception>.Rejected(
                MqttRejectReasons.MissingRxInfo,
                frame.RxInfoLegacy is null ? "the uplink has no rx_info" : "legacy (v3) rx_info is not supported, upgrade the bridge to v4");
        }

        if (!MatchesTopic(topicGatewayId, rxInfo.GatewayId, ByteString.Empty, required: true))
        {
            return GatewayIdMismatch<UplinkReception>(topicGatewayId);
        }

        Remember(topicGatewayId, encoding);

        switch (rxInfo.CrcStatus)
        {
            case Gw.CRCStatus.CrcOk:
                break;
            case Gw.CRCStatus.BadCrc:
                return MqttDecodeResult<UplinkReception>.Rejected(MqttRejectReasons.BadCrc, "the frame failed its CRC check");
            default:
                return MqttDecodeResult<UplinkReception>.Rejected(MqttRejectReasons.NoCrc, "the frame has no CRC (crc_status NO_CRC)");
        }

        if (frame.PhyPayload.IsEmpty)
        {
            return MqttDecodeResult<UplinkReception>.Rejected(MqttRejectReasons.EmptyPhyPayload, "the PHYPayload is empty");
        }

        if (frame.PhyPayload.Length > MaxPhyPayloadLength)
        {
            return MqttDecodeResult<UplinkReception>.Rejected(
                MqttRejectReasons.PhyPayloadTooLarge,
                $"the PHYPayload is {frame.PhyPayload.Length} bytes, more than {MaxPhyPayloadLength}");
        }

        var txInfo = frame.TxInfo;
        if (txInfo is null)
        {
            return MqttDecodeResult<UplinkReception>.Rejected(
                MqttRejectReasons.MissingTxInfo,
                frame.TxInfoLegacy is null ? "the uplink has no tx_info" : "legacy (v3) tx_info is not supported, upgrade the bridge to v4");
        }

        if (txInfo.Frequency == 0)
        {
            return MqttDecodeResult<UplinkReception>.Rejected(MqttRejectReasons.InvalidFrequency, "tx_info.frequency is 0");
        }

        if (!TryMapModulation(txInfo.Modulation, out var modulation, out rejection))
        {
            return MqttDecodeResult<UplinkReception>.Rejected(rejection);
        }

        var reception = new UplinkReception
        {
            GatewayId = topicGatewayId,
            PhyPayload = frame.PhyPayload.ToByteArray(),
            FrequencyHz = txInfo.Frequency,
            Modulation = modulation,
            Rssi = rxInfo.Rssi,
            Snr = rxInfo.Snr,

            // Never the gateway's clock (gw_time) nor a producer-set ns_time: timing rules need our own receive time.
            ReceivedAt = receivedAt,
            Transport = encoding,
            Context = rxInfo.Context.ToByteArray(),
            UplinkId = rxInfo.UplinkId,
            Channel = Saturate(rxInfo.Channel),
            RfChain = Saturate(rxInfo.RfChain),
            Board = Saturate(rxInfo.Board),
            Antenna = Saturate(rxInfo.Antenna),
            Location = MapLocation(rxInfo.Location),
            Metadata = CopyMetadata(rxInfo.Metadata),
        };
        return MqttDecodeResult<UplinkReception>.Success(reception, encoding);
    }

    /// <summary><c>event/ack</c>: one status per downlink item (the legacy single-error form is not supported).</summary>
    public MqttDecodeResult<DownlinkTxAck> DecodeTxAck(Eui64 topicGatewayId, ReadOnlySpan<byte> payload)
    {
        if (!TryParse(payload, Gw.DownlinkTxAck.Parser, out var ack, out var encoding, out var rejection))
        {
            return MqttDecodeResult<DownlinkTxAck>.Rejected(rejection);
        }

        if (!MatchesTopic(topicGatewayId, ack.GatewayId, ack.GatewayIdLegacy, required: false))
        {
            return GatewayIdMismatch<DownlinkTxAck>(topicGatewayId);
        }

        Remember(topicGatewayId, encoding);
        var statuses = new TxAckStatus[ack.Items.Count];
        for (var i = 0; i < statuses.Length; i++)
        {
            var status = ack.Items[i].Status;

            // Values match one to one; an enum number from a newer bridge is an error we cannot interpret.
            statuses[i] = System.Enum.IsDefined((TxAckStatus)status) ? (TxAckStatus)status : TxAckStatus.InternalError;
        }

        return MqttDecodeResult<DownlinkTxAck>.Success(new DownlinkTxAck(topicGatewayId, ack.DownlinkId, statuses), encoding);
    }

    /// <summary><c>event/stats</c>.</summary>
    public MqttDecodeResult<GatewayStatsReport> DecodeStats(Eui64 topicGatewayId, ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        if (!TryParse(payload, Gw.GatewayStats.Parser, out var stats, out var encoding, out var rejection))
        {
            return MqttDecodeResult<GatewayStatsReport>.Rejected(rejection);
        }

        if (!MatchesTopic(topicGatewayId, stats.GatewayId, stats.GatewayIdLegacy, required: false))
        {
            return GatewayIdMismatch<GatewayStatsReport>(topicGatewayId);
        }

        Remember(topicGatewayId, encoding);
        var report = new GatewayStatsReport(
            topicGatewayId,
            receivedAt,
            MapLocation(stats.Location),
            stats.RxPacketsReceived,
            stats.RxPacketsReceivedOk,
            stats.TxPacketsReceived,
            stats.TxPacketsEmitted,
            CopyMetadata(stats.Metadata));
        return MqttDecodeResult<GatewayStatsReport>.Success(report, encoding);
    }

    /// <summary>
    /// <c>state/conn</c> (retained; also the bridge's last will). True when ONLINE. In JSON an OFFLINE state may be
    /// absent altogether (proto3 omits default values), which reads as offline.
    /// </summary>
    public MqttDecodeResult<bool> DecodeConnState(Eui64 topicGatewayId, ReadOnlySpan<byte> payload)
    {
        if (!TryParse(payload, Gw.ConnState.Parser, out var state, out var encoding, out var rejection))
        {
            return MqttDecodeResult<bool>.Rejected(rejection);
        }

        if (!MatchesTopic(topicGatewayId, state.GatewayId, state.GatewayIdLegacy, required: false))
        {
            return GatewayIdMismatch<bool>(topicGatewayId);
        }

        Remember(topicGatewayId, encoding);
        return MqttDecodeResult<bool>.Success(state.State == Gw.ConnState.Types.State.Online, encoding);
    }

    /// <summary>The <c>command/down</c> payload in the given encoding.</summary>
    public static byte[] EncodeDownlink(DownlinkTransmission transmission, GatewayTransport encoding)
    {
        var frame = ToDownlinkFrame(transmission);
        return encoding switch
        {
            GatewayTransport.MqttProtobuf => frame.ToByteArray(),
            GatewayTransport.MqttJson => Encoding.UTF8.GetBytes(ProtoJsonFormatter.Format(frame)),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Only the MQTT encodings can be written by this codec."),
        };
    }

    /// <summary>The <c>command/down</c> payload in the encoding the gateway last used (protobuf when unknown).</summary>
    public byte[] EncodeDownlink(DownlinkTransmission transmission)
    {
        ArgumentNullException.ThrowIfNull(transmission);
        return EncodeDownlink(transmission, EncodingFor(transmission.GatewayId));
    }

    public static Gw.DownlinkFrame ToDownlinkFrame(DownlinkTransmission transmission)
    {
        ArgumentNullException.ThrowIfNull(transmission);
        var frame = new Gw.DownlinkFrame
        {
            DownlinkId = transmission.DownlinkId,
            GatewayId = transmission.GatewayId.ToString(),
        };
        foreach (var item in transmission.Items)
        {
            frame.Items.Add(ToDownlinkFrameItem(item));
        }

        return frame;
    }

    private static Gw.DownlinkFrameItem ToDownlinkFrameItem(DownlinkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.FrequencyHz is 0 or > uint.MaxValue)
        {
            throw new ArgumentException($"Downlink frequency {item.FrequencyHz} Hz cannot be expressed in the bridge's 32-bit field.", nameof(item));
        }

        if (!item.Modulation.IsValid)
        {
            throw new ArgumentException($"Invalid downlink modulation {item.Modulation}.", nameof(item));
        }

        return new Gw.DownlinkFrameItem
        {
            PhyPayload = ByteString.CopyFrom(item.PhyPayload),
            TxInfo = new Gw.DownlinkTxInfo
            {
                Frequency = (uint)item.FrequencyHz,
                Power = item.PowerDbm,
                Modulation = new Gw.Modulation
                {
                    Lora = new Gw.LoraModulationInfo
                    {
                        Bandwidth = (uint)item.Modulation.BandwidthHz,
                        SpreadingFactor = (uint)item.Modulation.SpreadingFactor,
                        CodeRate = ToCodeRate(item.Modulation.CodeRateDenominator),

                        // LoRaWAN downlinks are sent with inverted IQ so that end devices do not hear each other.
                        PolarizationInversion = true,
                    },
                },
                Board = (uint)Math.Max(0, item.Board),
                Antenna = (uint)Math.Max(0, item.Antenna),
                Timing = ToTiming(item.Timing),
                Context = ByteString.CopyFrom(item.Context),
            },
        };
    }

    private static Gw.Timing ToTiming(DownlinkTiming timing) => timing switch
    {
        DownlinkTiming.Immediately => new Gw.Timing { Immediately = new Gw.ImmediatelyTimingInfo() },
        DownlinkTiming.Delay delay => new Gw.Timing { Delay = new Gw.DelayTimingInfo { Delay = Duration.FromTimeSpan(delay.After) } },
        DownlinkTiming.GpsEpoch gps => new Gw.Timing
        {
            GpsEpoch = new Gw.GPSEpochTimingInfo { TimeSinceGpsEpoch = Duration.FromTimeSpan(gps.TimeSinceGpsEpoch) },
        },
        _ => throw new ArgumentException($"Unknown downlink timing {timing}.", nameof(timing)),
    };

    private static Gw.CodeRate ToCodeRate(int denominator) => denominator switch
    {
        5 => Gw.CodeRate.Cr45,
        6 => Gw.CodeRate.Cr46,
        7 => Gw.CodeRate.Cr47,
        8 => Gw.CodeRate.Cr48,
        _ => throw new ArgumentOutOfRangeException(nameof(denominator), denominator, "LoRa code rates are 4/5 to 4/8."),
    };

    private static bool TryMapModulation(Gw.Modulation? modulation, out LoRaModulation result, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out MqttRejection? rejection)
    {
        result = default;
        switch (modulation?.ParametersCase)
        {
            case Gw.Modulation.ParametersOneofCase.Lora:
                break;
            case Gw.Modulation.ParametersOneofCase.Fsk:
                rejection = new MqttRejection(MqttRejectReasons.UnsupportedModulation, "FSK uplinks are not supported");
                return false;
            case Gw.Modulation.ParametersOneofCase.LrFhss:
                rejection = new MqttRejection(MqttRejectReasons.UnsupportedModulation, "LR-FHSS uplinks are not supported");
                return false;
            default:
                rejection = new MqttRejection(MqttRejectReasons.UnsupportedModulation, "tx_info.modulation is missing");
                return false;
        }

        var lora = modulation.Lora;
        var denominator = CodeRateDenominator(lora.CodeRate, lora.CodeRateLegacy);
        if (denominator is null)
        {
            rejection = new MqttRejection(MqttRejectReasons.InvalidModulation, $"unsupported LoRa code rate {lora.CodeRate}");
            return false;
        }

        result = new LoRaModulation((int)Math.Min(lora.SpreadingFactor, int.MaxValue), (int)Math.Min(lora.Bandwidth, int.MaxValue), denominator.Value);
        if (!result.IsValid)
        {
            rejection = new MqttRejection(
                MqttRejectReasons.InvalidModulation,
                $"invalid LoRa parameters SF{lora.SpreadingFactor} bandwidth {lora.Bandwidth} Hz");
            return false;
        }

        rejection = null;
        return true;
    }

    /// <summary>
    /// 4/x as the denominator x. An unset code rate (old bridges sent only the "4/5" string, some forwarders neither)
    /// falls back to the string, then to 4/5: the uplink's code rate does not affect how the server processes it.
    /// </summary>
    private static int? CodeRateDenominator(Gw.CodeRate codeRate, string legacy) => codeRate switch
    {
        Gw.CodeRate.Cr45 or Gw.CodeRate.CrLi45 => 5,
        Gw.CodeRate.Cr46 or Gw.CodeRate.CrLi46 => 6,
        Gw.CodeRate.Cr47 => 7,
        Gw.CodeRate.Cr48 or Gw.CodeRate.CrLi48 => 8,
        Gw.CodeRate.CrUndefined => legacy switch
        {
            "4/6" => 6,
            "4/7" => 7,
            "4/8" => 8,
            _ => 5,
        },
        _ => null,
    };

    private static bool TryParse<T>(
        ReadOnlySpan<byte> payload,
        MessageParser<T> parser,
        out T message,
        out GatewayTransport encoding,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out MqttRejection? rejection)
        where T : IMessage<T>, new()
    {
        message = default!;
        encoding = GatewayTransport.MqttProtobuf;
        if (payload.IsEmpty)
        {
            rejection = new MqttRejection(MqttRejectReasons.EmptyPayload, "the payload is empty");
            return false;
        }

        if (payload.Length > MaxPayloadLength)
        {
            rejection = new MqttRejection(MqttRejectReasons.PayloadTooLarge, $"the payload is {payload.Length} bytes, more than {MaxPayloadLength}");
            return false;
        }

        encoding = DetectEncoding(payload);
        try
        {
            message = encoding == GatewayTransport.MqttJson
                ? ProtoJsonParser.Parse<T>(Encoding.UTF8.GetString(payload))
                : parser.ParseFrom(payload);
            rejection = null;
            return true;
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            // The exception type only: parser messages can quote payload content.
            var format = encoding == GatewayTransport.MqttJson ? "JSON" : "protobuf";
            rejection = new MqttRejection(MqttRejectReasons.MalformedPayload, $"not a valid {format} {typeof(T).Name} ({ex.GetType().Name})");
            return false;
        }
    }

    /// <summary>
    /// The payload's gateway id (string form, else the 8-byte legacy form) must be the topic's. Only the uplink
    /// requires it to be present: the bridge always fills it there, while other messages from old bridges may omit it.
    /// </summary>
    private static bool MatchesTopic(Eui64 topicGatewayId, string payloadGatewayId, ByteString legacyGatewayId, bool required)
    {
        if (payloadGatewayId.Length > 0)
        {
            return Eui64.TryParse(payloadGatewayId, out var id) && id == topicGatewayId;
        }

        if (legacyGatewayId.Length > 0)
        {
            return legacyGatewayId.Length == Eui64.Size && Eui64.ReadBigEndian(legacyGatewayId.Span) == topicGatewayId;
        }

        return !required;
    }

    private static MqttDecodeResult<T> GatewayIdMismatch<T>(Eui64 topicGatewayId)
        where T : notnull =>
        MqttDecodeResult<T>.Rejected(
            MqttRejectReasons.GatewayIdMismatch,
            $"the payload's gateway id is missing or differs from the topic's {topicGatewayId}");

    private void Remember(Eui64 gatewayId, GatewayTransport encoding) => _lastEncoding[gatewayId] = encoding;

    private static GeoLocation? MapLocation(Common.Location? location) =>
        location is null ? null : new GeoLocation(location.Latitude, location.Longitude, location.Altitude);

    private static IReadOnlyDictionary<string, string> CopyMetadata(Google.Protobuf.Collections.MapField<string, string> metadata) =>
        metadata.Count == 0 ? EmptyMetadata : new Dictionary<string, string>(metadata, StringComparer.Ordinal);

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();

    private static int Saturate(uint value) => (int)Math.Min(value, int.MaxValue);
}
