using Google.Protobuf.Reflection;
using WirelessNet.Proto.ChirpStack.Gateway;
using WirelessNet.Proto.Helium;
using CommonRegion = WirelessNet.Proto.ChirpStack.Common.Region;
using LocationSource = WirelessNet.Proto.ChirpStack.Common.LocationSource;

namespace WirelessNet.Proto.Tests;

/// <summary>Spot checks of enum numbers, by generated C# member and by proto value name.</summary>
public sealed class EnumValueTests
{
    [Fact]
    public void TxAckStatus_values()
    {
        Assert.Equal(0, (int)TxAckStatus.Ignored);
        Assert.Equal(1, (int)TxAckStatus.Ok);
        Assert.Equal(2, (int)TxAckStatus.TooLate);
        Assert.Equal(3, (int)TxAckStatus.TooEarly);
        Assert.Equal(4, (int)TxAckStatus.CollisionPacket);
        Assert.Equal(5, (int)TxAckStatus.CollisionBeacon);
        Assert.Equal(6, (int)TxAckStatus.TxFreq);
        Assert.Equal(7, (int)TxAckStatus.TxPower);
        Assert.Equal(8, (int)TxAckStatus.GpsUnlocked);
        Assert.Equal(9, (int)TxAckStatus.QueueFull);
        Assert.Equal(10, (int)TxAckStatus.InternalError);
        Assert.Equal(11, (int)TxAckStatus.DutyCycleOverflow);
    }

    [Fact]
    public void ChirpStack_small_enums()
    {
        Assert.Equal(0, (int)CRCStatus.NoCrc);
        Assert.Equal(1, (int)CRCStatus.BadCrc);
        Assert.Equal(2, (int)CRCStatus.CrcOk);
        Assert.Equal(0, (int)ConnState.Types.State.Offline);
        Assert.Equal(1, (int)ConnState.Types.State.Online);
        Assert.Equal(1, (int)CodeRate.Cr45);
        Assert.Equal(4, (int)CodeRate.Cr48);
        Assert.Equal(5, (int)CodeRate.Cr38);
        Assert.Equal(12, (int)CodeRate.CrLi48);
        Assert.Equal(2, (int)FineTimestampType.Plain);
        Assert.Equal(6, (int)LocationSource.GeoResolverWifi);
    }

    [Fact]
    public void ChirpStack_region_numbers_are_not_sequential()
    {
        Assert.Equal(0, (int)CommonRegion.Eu868);
        Assert.Equal(2, (int)CommonRegion.Us915);
        Assert.Equal(7, (int)CommonRegion.As923);
        Assert.Equal(11, (int)CommonRegion.Ism2400);
        Assert.Equal(12, (int)CommonRegion.As9232);
        Assert.Equal(14, (int)CommonRegion.As9234);
        Assert.False(Enum.IsDefined(typeof(CommonRegion), 1));
    }

    [Fact]
    public void Helium_region_values()
    {
        Assert.Equal(0, (int)region.Us915);
        Assert.Equal(1, (int)region.Eu868);
        Assert.Equal(6, (int)region.As9231);
        Assert.Equal(12, (int)region.As9231B);
        Assert.Equal(13, (int)region.Cd9001A);
        Assert.Equal(20, (int)region.Eu868F);
        Assert.Equal(22, (int)region.Au915Sb2);
        Assert.Equal(27, (int)region.As9231F);
        Assert.Equal(99, (int)region.Unknown);
        Assert.Equal(29, Enum.GetValues<region>().Length);
    }

    [Fact]
    public void Helium_data_rate_values()
    {
        Assert.Equal(0, (int)data_rate.Sf12Bw125);
        Assert.Equal(5, (int)data_rate.Sf7Bw125);
        Assert.Equal(6, (int)data_rate.Sf12Bw250);
        Assert.Equal(12, (int)data_rate.Sf12Bw500);
        Assert.Equal(17, (int)data_rate.Sf7Bw500);
        Assert.Equal(18, (int)data_rate.Lrfhss1Bw137);
        Assert.Equal(23, (int)data_rate.Lrfhss2Bw1523);
        Assert.Equal(24, (int)data_rate.Fsk50);
        Assert.Equal(25, Enum.GetValues<data_rate>().Length);
    }

    [Theory]
    [InlineData("helium.region", "AS923_1B", 12)]
    [InlineData("helium.region", "AU915_SB1", 21)]
    [InlineData("helium.region", "UNKNOWN", 99)]
    [InlineData("helium.data_rate", "SF9BW125", 3)]
    [InlineData("helium.data_rate", "LRFHSS1BW1523", 22)]
    [InlineData("gw.CodeRate", "CR_LI_4_5", 10)]
    [InlineData("gw.TxAckStatus", "DUTY_CYCLE_OVERFLOW", 11)]
    [InlineData("common.Region", "RU864", 10)]
    public void Proto_value_names_map_to_upstream_numbers(string enumName, string valueName, int number)
    {
        EnumDescriptor descriptor = enumName switch
        {
            "helium.region" => RegionReflection.Descriptor.FindTypeByName<EnumDescriptor>("region"),
            "helium.data_rate" => DataRateReflection.Descriptor.FindTypeByName<EnumDescriptor>("data_rate"),
            "gw.CodeRate" => GwReflection.Descriptor.FindTypeByName<EnumDescriptor>("CodeRate"),
            "gw.TxAckStatus" => GwReflection.Descriptor.FindTypeByName<EnumDescriptor>("TxAckStatus"),
            "common.Region" => WirelessNet.Proto.ChirpStack.Common.CommonReflection.Descriptor.FindTypeByName<EnumDescriptor>("Region"),
            _ => throw new ArgumentOutOfRangeException(nameof(enumName)),
        };

        Assert.Equal(enumName, descriptor.FullName);
        Assert.Equal(number, descriptor.FindValueByName(valueName).Number);
    }

    [Fact]
    public void Cn779_is_marked_deprecated()
    {
        var value = RegionReflection.Descriptor.FindTypeByName<EnumDescriptor>("region").FindValueByName("CN779");

        Assert.True(value.GetOptions().Deprecated);
    }
}
