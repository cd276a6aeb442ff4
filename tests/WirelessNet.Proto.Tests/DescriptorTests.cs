using Google.Protobuf.Reflection;
using WirelessNet.Proto.ChirpStack.Common;
using WirelessNet.Proto.ChirpStack.Gateway;
using WirelessNet.Proto.Helium;
using WirelessNet.Proto.Helium.PacketRouter;

namespace WirelessNet.Proto.Tests;

/// <summary>Checks the generated descriptors against the upstream package, message, field and enum facts.</summary>
public sealed class DescriptorTests
{
    private static readonly FileDescriptor[] Files =
    [
        CommonReflection.Descriptor,
        GwReflection.Descriptor,
        RegionReflection.Descriptor,
        DataRateReflection.Descriptor,
        PacketRouterReflection.Descriptor,
    ];

    private static MessageDescriptor Message(string fullName) =>
        Files.SelectMany(AllMessages).Single(m => m.FullName == fullName);

    private static IEnumerable<MessageDescriptor> AllMessages(FileDescriptor file) =>
        file.MessageTypes.SelectMany(m => m.NestedTypes.Prepend(m));

    [Theory]
    [InlineData("chirpstack/common/common.proto", "common")]
    [InlineData("chirpstack/gw/gw.proto", "gw")]
    [InlineData("helium/region.proto", "helium")]
    [InlineData("helium/data_rate.proto", "helium")]
    [InlineData("helium/packet_router/packet_router.proto", "helium.packet_router")]
    public void Files_declare_the_upstream_packages(string file, string package)
    {
        Assert.Equal(package, Files.Single(f => f.Name == file).Package);
    }

    [Theory]
    // ChirpStack gateway bridge v4
    [InlineData("gw.UplinkFrame", "phy_payload", 1)]
    [InlineData("gw.UplinkFrame", "tx_info", 4)]
    [InlineData("gw.UplinkFrame", "rx_info", 5)]
    [InlineData("gw.UplinkTxInfo", "frequency", 1)]
    [InlineData("gw.UplinkTxInfo", "modulation", 2)]
    [InlineData("gw.Modulation", "lora", 3)]
    [InlineData("gw.Modulation", "fsk", 4)]
    [InlineData("gw.Modulation", "lr_fhss", 5)]
    [InlineData("gw.LoraModulationInfo", "bandwidth", 1)]
    [InlineData("gw.LoraModulationInfo", "spreading_factor", 2)]
    [InlineData("gw.LoraModulationInfo", "code_rate_legacy", 3)]
    [InlineData("gw.LoraModulationInfo", "polarization_inversion", 4)]
    [InlineData("gw.LoraModulationInfo", "code_rate", 5)]
    [InlineData("gw.LoraModulationInfo", "preamble", 6)]
    [InlineData("gw.LoraModulationInfo", "no_crc", 7)]
    [InlineData("gw.UplinkRxInfo", "gateway_id", 1)]
    [InlineData("gw.UplinkRxInfo", "uplink_id", 2)]
    [InlineData("gw.UplinkRxInfo", "gw_time", 3)]
    [InlineData("gw.UplinkRxInfo", "time_since_gps_epoch", 4)]
    [InlineData("gw.UplinkRxInfo", "fine_time_since_gps_epoch", 5)]
    [InlineData("gw.UplinkRxInfo", "rssi", 6)]
    [InlineData("gw.UplinkRxInfo", "snr", 7)]
    [InlineData("gw.UplinkRxInfo", "channel", 8)]
    [InlineData("gw.UplinkRxInfo", "rf_chain", 9)]
    [InlineData("gw.UplinkRxInfo", "board", 10)]
    [InlineData("gw.UplinkRxInfo", "antenna", 11)]
    [InlineData("gw.UplinkRxInfo", "location", 12)]
    [InlineData("gw.UplinkRxInfo", "context", 13)]
    [InlineData("gw.UplinkRxInfo", "metadata", 15)]
    [InlineData("gw.UplinkRxInfo", "crc_status", 16)]
    [InlineData("gw.UplinkRxInfo", "ns_time", 17)]
    [InlineData("gw.DownlinkFrame", "downlink_id", 3)]
    [InlineData("gw.DownlinkFrame", "items", 5)]
    [InlineData("gw.DownlinkFrame", "gateway_id", 7)]
    [InlineData("gw.DownlinkFrameItem", "phy_payload", 1)]
    [InlineData("gw.DownlinkFrameItem", "tx_info", 3)]
    [InlineData("gw.DownlinkTxInfo", "frequency", 1)]
    [InlineData("gw.DownlinkTxInfo", "power", 2)]
    [InlineData("gw.DownlinkTxInfo", "modulation", 3)]
    [InlineData("gw.DownlinkTxInfo", "board", 4)]
    [InlineData("gw.DownlinkTxInfo", "antenna", 5)]
    [InlineData("gw.DownlinkTxInfo", "timing", 6)]
    [InlineData("gw.DownlinkTxInfo", "context", 7)]
    [InlineData("gw.Timing", "immediately", 1)]
    [InlineData("gw.Timing", "delay", 2)]
    [InlineData("gw.Timing", "gps_epoch", 3)]
    [InlineData("gw.DownlinkTxAck", "gateway_id", 6)]
    [InlineData("gw.DownlinkTxAck", "downlink_id", 2)]
    [InlineData("gw.DownlinkTxAck", "items", 5)]
    [InlineData("gw.DownlinkTxAckItem", "status", 1)]
    [InlineData("gw.GatewayStats", "gateway_id", 17)]
    [InlineData("gw.GatewayStats", "time", 2)]
    [InlineData("gw.GatewayStats", "location", 3)]
    [InlineData("gw.GatewayStats", "rx_packets_received", 5)]
    [InlineData("gw.GatewayStats", "rx_packets_received_ok", 6)]
    [InlineData("gw.GatewayStats", "tx_packets_received", 7)]
    [InlineData("gw.GatewayStats", "tx_packets_emitted", 8)]
    [InlineData("gw.GatewayStats", "metadata", 10)]
    [InlineData("gw.ConnState", "gateway_id", 3)]
    [InlineData("gw.ConnState", "state", 2)]
    [InlineData("common.Location", "latitude", 1)]
    [InlineData("common.Location", "longitude", 2)]
    [InlineData("common.Location", "altitude", 3)]
    [InlineData("common.Location", "source", 4)]
    [InlineData("common.Location", "accuracy", 5)]
    // Helium packet router
    [InlineData("helium.packet_router.envelope_up_v1", "register", 1)]
    [InlineData("helium.packet_router.envelope_up_v1", "packet", 2)]
    [InlineData("helium.packet_router.envelope_up_v1", "session_init", 3)]
    [InlineData("helium.packet_router.envelope_down_v1", "packet", 1)]
    [InlineData("helium.packet_router.envelope_down_v1", "session_offer", 2)]
    [InlineData("helium.packet_router.envelope_down_v1", "packet_ack", 3)]
    [InlineData("helium.packet_router.packet_router_packet_up_v1", "rssi", 3)]
    [InlineData("helium.packet_router.packet_router_packet_up_v1", "signature", 10)]
    [InlineData("helium.packet_router.packet_router_register_v1", "session_capable", 4)]
    [InlineData("helium.packet_router.packet_router_register_v1", "packet_ack_interval", 5)]
    [InlineData("helium.packet_router.packet_router_session_init_v1", "session_key", 3)]
    [InlineData("helium.packet_router.packet_router_session_init_v1", "signature", 4)]
    [InlineData("helium.packet_router.window_v1", "immediate", 4)]
    [InlineData("helium.packet_router.packet_router_packet_report_v1", "gateway_tmst", 1)]
    [InlineData("helium.packet_router.packet_router_packet_report_v1", "type", 13)]
    [InlineData("helium.packet_router.packet_router_packet_report_v1", "received_timestamp", 14)]
    public void Field_numbers_match_upstream(string message, string field, int number)
    {
        var descriptor = Message(message).FindFieldByName(field);

        Assert.NotNull(descriptor);
        Assert.Equal(number, descriptor.FieldNumber);
    }

    [Theory]
    [InlineData("gw.Modulation", "parameters", "lora,fsk,lr_fhss")]
    [InlineData("gw.Timing", "parameters", "immediately,delay,gps_epoch")]
    [InlineData("helium.packet_router.envelope_up_v1", "data", "register,packet,session_init")]
    [InlineData("helium.packet_router.envelope_down_v1", "data", "packet,session_offer,packet_ack")]
    public void Oneofs_group_the_upstream_fields(string message, string oneof, string fields)
    {
        var descriptor = Message(message).Oneofs.Single(o => o.Name == oneof);

        Assert.Equal(fields, string.Join(",", descriptor.Fields.Select(f => f.Name)));
    }

    [Fact]
    public void Packet_up_rssi_is_sint32_and_timestamps_are_uint64()
    {
        var packetUp = packet_router_packet_up_v1.Descriptor;

        Assert.Equal(FieldType.SInt32, packetUp.FindFieldByName("rssi").FieldType);
        Assert.Equal(FieldType.UInt64, packetUp.FindFieldByName("timestamp").FieldType);
        Assert.Equal(FieldType.UInt64, packetUp.FindFieldByName("hold_time").FieldType);
        Assert.Equal(FieldType.UInt32, packetUp.FindFieldByName("frequency").FieldType);
        Assert.Equal(FieldType.Float, packetUp.FindFieldByName("snr").FieldType);
        Assert.Equal(FieldType.SInt32, packet_router_packet_report_v1.Descriptor.FindFieldByName("rssi").FieldType);
    }

    [Fact]
    public void Helium_enums_are_referenced_from_the_helium_package()
    {
        Assert.Equal("helium.region", packet_router_packet_up_v1.Descriptor.FindFieldByName("region").EnumType.FullName);
        Assert.Equal("helium.data_rate", window_v1.Descriptor.FindFieldByName("datarate").EnumType.FullName);
    }
}
