namespace WirelessNet.Offload.Validation;

/// <summary>Limits applied to every data-transfer record regardless of carrier.</summary>
public sealed record TransferValidationOptions
{
    /// <summary>
    /// Largest upload, download or rewardable count one record may carry. The default, 100 GB, is far above what
    /// one small cell moves in a reporting interval but keeps a corrupt counter from minting a fortune.
    /// </summary>
    public long MaxBytesPerRecord { get; init; } = 100_000_000_000;

    /// <summary>How far ahead of the server clock a record's timestamp may be (device clock skew).</summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromMinutes(5);
}
