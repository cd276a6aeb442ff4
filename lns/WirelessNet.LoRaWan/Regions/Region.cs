using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

namespace WirelessNet.LoRaWan.Regions;

/// <summary>
/// The built-in regions, read once from the data files embedded in this assembly (Regions/Data/{id}.json)
/// and cached for the life of the process.
/// </summary>
public static class Region
{
    private const string ResourceSuffix = ".json";
    private const string ResourceFolder = ".Regions.Data.";

    private static readonly Assembly DataAssembly = typeof(Region).Assembly;
    private static readonly ConcurrentDictionary<string, RegionParameters> Cache = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Lazy<IReadOnlyList<string>> Ids = new(FindIds);

    public static RegionParameters Eu868 => Get("eu868");

    public static RegionParameters Us915 => Get("us915");

    /// <summary>Identifiers of the embedded regions, e.g. "eu868", "us915".</summary>
    public static IReadOnlyList<string> AvailableIds => Ids.Value;

    /// <summary>Gets a region by identifier (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No data file exists for <paramref name="id"/>.</exception>
    /// <exception cref="InvalidDataException">The data file is malformed.</exception>
    public static RegionParameters Get(string id)
    {
        if (!TryGet(id, out var region))
        {
            throw new KeyNotFoundException(string.Create(
                CultureInfo.InvariantCulture,
                $"No region '{id}'. Available: {string.Join(", ", AvailableIds)}."));
        }

        return region;
    }

    /// <summary>Gets a region by identifier (case-insensitive); false if no data file exists for it.</summary>
    /// <exception cref="InvalidDataException">The data file exists but is malformed.</exception>
    public static bool TryGet(string id, [NotNullWhen(true)] out RegionParameters? region)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (Cache.TryGetValue(id, out region))
        {
            return true;
        }

        var knownId = AvailableIds.FirstOrDefault(known => string.Equals(known, id, StringComparison.OrdinalIgnoreCase));
        if (knownId is null)
        {
            region = null;
            return false;
        }

        // A race only parses the file twice; GetOrAdd keeps a single instance.
        region = Cache.GetOrAdd(knownId, Load);
        return true;
    }

    private static RegionParameters Load(string id)
    {
        var resourceName = DataAssembly.GetManifestResourceNames()
            .First(name => name.EndsWith(ResourceFolder + id + ResourceSuffix, StringComparison.OrdinalIgnoreCase));
        using var stream = DataAssembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidDataException($"Embedded resource {resourceName} cannot be opened.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);

        var region = RegionDataReader.Read(bytes, resourceName);
        if (!string.Equals(region.Id, id, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{resourceName}: id '{region.Id}' does not match the file name.");
        }

        return region;
    }

    private static IReadOnlyList<string> FindIds() =>
        DataAssembly.GetManifestResourceNames()
            .Where(name => name.Contains(ResourceFolder, StringComparison.Ordinal) && name.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            .Select(name =>
            {
                var start = name.LastIndexOf(ResourceFolder, StringComparison.Ordinal) + ResourceFolder.Length;
                return name[start..^ResourceSuffix.Length].ToLowerInvariant();
            })
            .Order(StringComparer.Ordinal)
            .ToArray();
}
