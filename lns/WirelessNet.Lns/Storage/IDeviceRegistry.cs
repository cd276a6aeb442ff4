using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Gateways;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Storage;

/// <summary>Provisioned devices, device profiles and gateways.</summary>
public interface IDeviceRegistry
{
    ValueTask<Device?> GetDeviceAsync(Eui64 devEui, CancellationToken cancellationToken);

    ValueTask PutDeviceAsync(Device device, CancellationToken cancellationToken);

    ValueTask<bool> DeleteDeviceAsync(Eui64 devEui, CancellationToken cancellationToken);

    ValueTask<DeviceProfile?> GetProfileAsync(string profileId, CancellationToken cancellationToken);

    ValueTask PutProfileAsync(DeviceProfile profile, CancellationToken cancellationToken);

    ValueTask<Gateway?> GetGatewayAsync(Eui64 gatewayId, CancellationToken cancellationToken);

    ValueTask PutGatewayAsync(Gateway gateway, CancellationToken cancellationToken);

    ValueTask<bool> DeleteGatewayAsync(Eui64 gatewayId, CancellationToken cancellationToken);
}
