namespace WirelessNet.Lns.Api;

/// <summary>Management API settings, bound from the <c>Api</c> configuration section.</summary>
public sealed class ManagementApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Shortest admin key accepted: anything shorter could be guessed online.</summary>
    public const int MinimumAdminKeyLength = 32;

    /// <summary>
    /// The operator's bootstrap key (<c>Api:AdminKey</c>, env <c>Api__AdminKey</c>): may create tenants and tenant API
    /// keys, nothing else. Empty disables admin calls. Only its SHA-256 is kept in memory after start.
    /// </summary>
    public string AdminKey { get; set; } = string.Empty;

    /// <summary>Page size used when a list request gives none.</summary>
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>Downlink queue items per device the API accepts; protects the store from a runaway client.</summary>
    public int MaxQueuedDownlinks { get; set; } = 64;

    /// <summary>Frames kept per device for the recent-frames view; 0 turns recording off.</summary>
    public int RecentFramesPerDevice { get; set; } = 20;

    /// <summary>Devices with a recent-frames history; past this, older histories are dropped.</summary>
    public int RecentFramesMaxDevices { get; set; } = 10_000;
}
