using BenchmarkDotNet.Attributes;
using WirelessNet.Helium.Crypto;

namespace WirelessNet.Benchmarks.Helium;

/// <summary>
/// Helium gateway signatures over a 60-byte message (the size of a small signed uplink): verification with the
/// public key already parsed and cached, as a router holds one per gateway, signing, and the one-off cost of
/// parsing a binary key (ecc_compact recovers Y with a modular square root).
/// </summary>
[MemoryDiagnoser]
public class HeliumSignatureBenchmarks
{
    private readonly byte[] _message = new byte[60];
    private readonly byte[] _signatureBuffer = new byte[HeliumKeyPair.MaxSignatureLength];
    private HeliumKeyPair _ed25519 = null!;
    private HeliumKeyPair _eccCompact = null!;
    private HeliumPublicKey _ed25519Key = null!;
    private HeliumPublicKey _eccCompactKey = null!;
    private byte[] _ed25519Signature = [];
    private byte[] _eccCompactSignature = [];
    private byte[] _ed25519Binary = [];
    private byte[] _eccCompactBinary = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(60);
        random.NextBytes(_message);
        var seed = new byte[32];
        random.NextBytes(seed);
        _ed25519 = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, seed);
        _eccCompact = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);

        _ed25519Binary = _ed25519.PublicKey.ToBytes();
        _eccCompactBinary = _eccCompact.PublicKey.ToBytes();
        _ed25519Key = HeliumPublicKey.Parse(_ed25519Binary);
        _eccCompactKey = HeliumPublicKey.Parse(_eccCompactBinary);
        _ed25519Signature = _ed25519.Sign(_message);
        _eccCompactSignature = _eccCompact.Sign(_message);

        // Import the platform verifier objects now, so the benchmarks measure the cached path.
        if (!_ed25519Key.Verify(_message, _ed25519Signature) || !_eccCompactKey.Verify(_message, _eccCompactSignature))
        {
            throw new InvalidOperationException("Setup signatures do not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ed25519.Dispose();
        _eccCompact.Dispose();
    }

    [Benchmark(Baseline = true, Description = "verify ed25519, 60 B, cached key")]
    public bool VerifyEd25519() => _ed25519Key.Verify(_message, _ed25519Signature);

    [Benchmark(Description = "verify ecc_compact (P-256 DER), 60 B, cached key")]
    public bool VerifyEccCompact() => _eccCompactKey.Verify(_message, _eccCompactSignature);

    [Benchmark(Description = "sign ed25519, 60 B")]
    public int SignEd25519() => _ed25519.Sign(_message, _signatureBuffer);

    [Benchmark(Description = "sign ecc_compact (P-256 DER), 60 B")]
    public int SignEccCompact() => _eccCompact.Sign(_message, _signatureBuffer);

    [Benchmark(Description = "parse ed25519 binary key")]
    public HeliumPublicKey ParseEd25519() => HeliumPublicKey.Parse(_ed25519Binary);

    [Benchmark(Description = "parse ecc_compact binary key (recover Y)")]
    public HeliumPublicKey ParseEccCompact() => HeliumPublicKey.Parse(_eccCompactBinary);

    [Benchmark(Description = "parse ecc_compact + first verify (cold key)")]
    public bool ParseAndVerifyEccCompactCold() => HeliumPublicKey.Parse(_eccCompactBinary).Verify(_message, _eccCompactSignature);
}
