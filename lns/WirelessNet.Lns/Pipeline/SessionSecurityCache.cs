using System.Collections.Concurrent;
using WirelessNet.Lns.Devices;
using WirelessNet.LoRaWan.Crypto;
using WirelessNet.LoRaWan.Primitives;

namespace WirelessNet.Lns.Pipeline;

/// <summary>
/// Keeps each session's expanded AES keys, so an uplink costs block operations only. Entries are keyed by the
/// session's keys, so a new session (new keys) gets a new entry and the old one ages out.
/// </summary>
public sealed class SessionSecurityCache
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<(Eui64 DevEui, AesKey FNwkSIntKey, AesKey AppSKey), SessionSecurity> _entries = new();

    public SessionSecurity Get(DeviceSession session)
    {
        var key = (session.DevEui, session.FNwkSIntKey, session.AppSKey);
        if (_entries.TryGetValue(key, out var security))
        {
            return security;
        }

        if (_entries.Count >= MaxEntries)
        {
            // Crude but bounded: start over rather than grow without limit; the next frames rebuild what is hot.
            _entries.Clear();
        }

        return _entries.GetOrAdd(key, _ => session.CreateSecurity());
    }
}
