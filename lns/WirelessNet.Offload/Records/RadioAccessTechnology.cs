namespace WirelessNet.Offload.Records;

/// <summary>Radio access technology of a data-transfer session; numeric values match the Helium protobuf enum.</summary>
public enum RadioAccessTechnology
{
    /// <summary>UMTS terrestrial radio access (3G).</summary>
    Utran = 0,

    /// <summary>GSM EDGE radio access (2G).</summary>
    Geran = 1,

    /// <summary>Wireless LAN (Wi-Fi).</summary>
    Wlan = 2,

    /// <summary>Generic access network.</summary>
    Gan = 3,

    /// <summary>HSPA evolution.</summary>
    HspaEvolution = 4,

    /// <summary>Evolved UTRAN (LTE, including CBRS).</summary>
    Eutran = 5,
}

/// <summary>
/// How the byte counters of a data-transfer event are to be read. Helium's own events carry the bytes of that event
/// alone; RADIUS-style accounting carries counters that are cumulative since the session's start.
/// </summary>
public enum AccountingRecordKind
{
    /// <summary>Counters are this event's own bytes (Helium <c>data_transfer_event</c>).</summary>
    Standalone = 0,

    /// <summary>RADIUS Accounting-Start: cumulative counters (normally zero) opening a session.</summary>
    Start = 1,

    /// <summary>RADIUS Interim-Update: cumulative counters since the session's start.</summary>
    Interim = 2,

    /// <summary>RADIUS Accounting-Stop: final cumulative counters; the session takes no higher counters afterwards.</summary>
    Stop = 3,
}
