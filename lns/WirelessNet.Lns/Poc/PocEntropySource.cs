using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using WirelessNet.Poc.Entropy;

namespace WirelessNet.Lns.Poc;

/// <summary>
/// Runs the entropy chain: every 60 s a new value SHA-256(previous ‖ Unix time ‖ operator seed), published to the store
/// for hotspots and verifiers. Instances need no coordination: the genesis is created once in the store and the seed is
/// shared, so every instance computes the very same chain. The chain lives in memory (from genesis) for the verifier,
/// which looks up any value a report quotes; access goes through <see cref="Read{T}"/>, which holds the chain's lock.
/// </summary>
public sealed partial class PocEntropySource(IPocStore store, IOptions<PocOptions> options, TimeProvider time, ILogger<PocEntropySource> logger) : BackgroundService
{
    private const int PublishBatch = 1000;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EntropyChain? _chain;
    private byte[] _seed = [];

    /// <summary>Completes once the chain is loaded.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The operator seed in use (for deriving server-held identities; never logged).</summary>
    internal ReadOnlySpan<byte> Seed => _seed;

    /// <summary>Runs <paramref name="read"/> on the chain under its lock (keep it short: the 60 s tick waits for it).</summary>
    public T Read<T>(Func<EntropyChain, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var chain = _chain ?? throw new InvalidOperationException("The entropy chain is not loaded yet.");
        lock (_gate)
        {
            // A value that came due while the tick was late is added before anyone reads.
            Advance(chain);
            return read(chain);
        }
    }

    /// <summary>The newest value valid now.</summary>
    public bool TryGetCurrent([NotNullWhen(true)] out EntropyReport? current)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        current = Read(chain => chain.TryGetValidAt(nowMs, out var report) ? report : null);
        return current is not null;
    }

    /// <summary>
    /// Start-up reads the shared chain from the store; a store that is not ready yet (Redis still loading its data after
    /// a restart, or not up) is waited for with backoff instead of failing the host, as operators start both together.
    /// </summary>
    private async Task<byte[]> WhenStoreReadyAsync(Func<CancellationToken, ValueTask<byte[]>> read, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await read(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogStoreNotReady(logger, delay, e.Message);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.OperatorSeed;
        if (configured.Length == 0)
        {
            _seed = await WhenStoreReadyAsync(ct => store.GetOrCreateValueAsync("seed", RandomNumberGenerator.GetBytes(32), ct), cancellationToken).ConfigureAwait(false);
            LogGeneratedSeed(logger);
        }
        else
        {
            _seed = Convert.FromHexString(configured);
        }

        // Genesis: i64 LE Unix time (a whole minute) ‖ 32 random bytes; the first instance to start writes it. It is
        // dated one challenge window back so the window in progress has a window entropy and a new network is challenged
        // at once; nobody knew those values earlier, since they derive from random bytes drawn now.
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var genesisAt = now - (long)options.Value.ChallengeWindow.TotalSeconds;
        var candidate = new byte[sizeof(long) + SHA256.HashSizeInBytes];
        BinaryPrimitives.WriteInt64LittleEndian(candidate, genesisAt - (genesisAt % EntropyChain.IntervalSeconds));
        RandomNumberGenerator.Fill(candidate.AsSpan(sizeof(long)));
        var stored = await WhenStoreReadyAsync(ct => store.GetOrCreateValueAsync("genesis", candidate, ct), cancellationToken).ConfigureAwait(false);
        var genesis = new EntropyReport(stored[sizeof(long)..], BinaryPrimitives.ReadInt64LittleEndian(stored), EntropyChain.CurrentVersion);

        var chain = new EntropyChain(_seed, genesis);
        chain.AppendDue(now);
        lock (_gate)
        {
            _chain = chain;
        }

        // Publishing is idempotent: an instance restarting re-adds what it computes, nothing changes.
        for (var i = 0; i < chain.Entries.Count; i += PublishBatch)
        {
            await store.AddEntropyAsync(chain.Entries.Skip(i).Take(PublishBatch).ToList(), cancellationToken).ConfigureAwait(false);
        }

        LogLoaded(logger, chain.Entries.Count, genesis.Timestamp);
        _ready.TrySetResult();
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var chain = _chain!;
        var published = chain.Entries.Count;
        while (!stoppingToken.IsCancellationRequested)
        {
            long next;
            lock (_gate)
            {
                next = chain.Latest.Timestamp + EntropyChain.IntervalSeconds;
            }

            var delay = DateTimeOffset.FromUnixTimeSeconds(next) - time.GetUtcNow();
            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }

                List<EntropyReport> added;
                lock (_gate)
                {
                    Advance(chain);
                    added = chain.Entries.Skip(published).ToList();
                }

                await store.AddEntropyAsync(added, stoppingToken).ConfigureAwait(false);
                published += added.Count;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The chain is computed locally; only publication failed. What was not published goes with the next tick.
                LogPublishFailed(logger, e);
            }
        }
    }

    private void Advance(EntropyChain chain) => chain.AppendDue(time.GetUtcNow().ToUnixTimeSeconds());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poc:OperatorSeed is not set: using a random seed kept in the store. Set an operator seed (and disclose it later) so the entropy chain can be verified publicly.")]
    private static partial void LogGeneratedSeed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "PoC entropy chain loaded: {Count} values since genesis at {Genesis}")]
    private static partial void LogLoaded(ILogger logger, int count, long genesis);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PoC store not ready at start ({Reason}); trying again in {Delay}")]
    private static partial void LogStoreNotReady(ILogger logger, TimeSpan delay, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing PoC entropy failed; retrying")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
