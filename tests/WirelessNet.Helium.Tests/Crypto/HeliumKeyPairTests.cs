using WirelessNet.Helium.Crypto;

namespace WirelessNet.Helium.Tests.Crypto;

public sealed class HeliumKeyPairTests
{
    public static TheoryData<HeliumKeyType, HeliumNetwork> AllKinds => new()
    {
        { HeliumKeyType.EccCompact, HeliumNetwork.MainNet },
        { HeliumKeyType.EccCompact, HeliumNetwork.TestNet },
        { HeliumKeyType.Ed25519, HeliumNetwork.MainNet },
        { HeliumKeyType.Ed25519, HeliumNetwork.TestNet },
    };

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void GeneratedKeysRoundTripThroughEveryForm(HeliumKeyType keyType, HeliumNetwork network)
    {
        using var keyPair = HeliumKeyPair.Generate(keyType, network);

        Assert.Equal(keyType, keyPair.KeyType);
        Assert.Equal(network, keyPair.Network);
        Assert.Equal(HeliumPublicKey.BinaryLength, keyPair.PublicKey.ToBytes().Length);
        Assert.Equal(keyPair.PublicKey, HeliumPublicKey.Parse(keyPair.PublicKey.ToBytes()));
        Assert.Equal(keyPair.PublicKey, HeliumPublicKey.ParseAddress(keyPair.PublicKey.ToAddress()));

        var exported = keyPair.Export();
        Assert.Equal(keyType == HeliumKeyType.EccCompact ? HeliumKeyPair.EccCompactBinaryLength : HeliumKeyPair.Ed25519BinaryLength, exported.Length);
        Assert.Equal(HeliumPublicKey.Prefix(network, keyType), exported[0]);
        using var imported = HeliumKeyPair.Import(exported);
        Assert.Equal(keyPair.PublicKey, imported.PublicKey);
        Assert.Equal(exported, imported.Export());
    }

    [Fact]
    public void GeneratedEccCompactKeysAreAlwaysCompact()
    {
        for (var i = 0; i < 20; i++)
        {
            using var keyPair = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);

            // The point re-derived from X alone is the key's own point, so signatures verify through the binary form.
            var reparsed = HeliumPublicKey.Parse(keyPair.PublicKey.ToBytes());
            Assert.True(reparsed.Verify("compact"u8, keyPair.Sign("compact"u8)));
        }
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void SignaturesVerifyAndForgeriesDoNot(HeliumKeyType keyType, HeliumNetwork network)
    {
        using var keyPair = HeliumKeyPair.Generate(keyType, network);
        using var other = HeliumKeyPair.Generate(keyType, network);
        using var otherType = HeliumKeyPair.Generate(keyType == HeliumKeyType.Ed25519 ? HeliumKeyType.EccCompact : HeliumKeyType.Ed25519, network);
        var message = new byte[60];
        new Random(1).NextBytes(message);

        var signature = keyPair.Sign(message);
        Assert.True(keyPair.PublicKey.Verify(message, signature));
        Assert.True(HeliumPublicKey.ParseAddress(keyPair.PublicKey.ToAddress()).Verify(message, signature));

        var tamperedMessage = (byte[])message.Clone();
        tamperedMessage[17] ^= 0x01;
        Assert.False(keyPair.PublicKey.Verify(tamperedMessage, signature));

        for (var i = 0; i < signature.Length; i++)
        {
            var tampered = (byte[])signature.Clone();
            tampered[i] ^= 0x40;
            Assert.False(keyPair.PublicKey.Verify(message, tampered));
        }

        Assert.False(other.PublicKey.Verify(message, signature));
        Assert.False(keyPair.PublicKey.Verify(message, otherType.Sign(message)));
        Assert.False(keyPair.PublicKey.Verify(message, []));
        Assert.False(keyPair.PublicKey.Verify(message, signature.AsSpan(0, signature.Length - 1)));
        Assert.False(keyPair.PublicKey.Verify(message, [.. signature, 0]));
    }

    [Fact]
    public void SignatureFormsMatchHelium()
    {
        using var ed25519 = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        using var ecc = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);

        Assert.Equal(64, ed25519.Sign("x"u8).Length);
        var der = ecc.Sign("x"u8);
        Assert.Equal(0x30, der[0]);
        Assert.InRange(der.Length, 8, HeliumKeyPair.MaxSignatureLength);
        Assert.True(EcdsaDer.TryToP1363(der, new byte[64]));
    }

    [Fact]
    public void SignIntoSpanWritesTheSameKindOfSignature()
    {
        using var ecc = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        Span<byte> buffer = stackalloc byte[HeliumKeyPair.MaxSignatureLength];

        var length = ecc.Sign("span"u8, buffer);

        Assert.True(ecc.PublicKey.Verify("span"u8, buffer[..length]));
        Assert.Throws<ArgumentException>(() => ecc.Sign("span"u8, new byte[10]));
    }

    [Theory]
    [InlineData("", HeliumKeyError.InvalidLength)]
    [InlineData("00", HeliumKeyError.InvalidLength)]
    [InlineData("20aa", HeliumKeyError.UnknownNetwork)]
    [InlineData("02aa", HeliumKeyError.UnknownKeyType)]
    [InlineData("000000000000000000000000000000000000000000000000000000000000000000", HeliumKeyError.InvalidPrivateKey)] // d = 0
    [InlineData("00ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", HeliumKeyError.InvalidPrivateKey)] // d = n
    [InlineData("00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", HeliumKeyError.InvalidPrivateKey)] // d > n
    [InlineData("01f8374ea8637b16cb24fa88566e77c6aaf8374ea8637b16cb24fa88566e77c6aa", HeliumKeyError.InvalidLength)] // ed25519 seed without its public half
    [InlineData("01f8374ea8637b16cb24fa88566e77c6aaf8374ea8637b16cb24fa88566e77c6aab97656ba0883b2e86793f6c1ba4847e819f4b231239d59481c11d43f48362a0a", HeliumKeyError.PublicKeyMismatch)]
    public void ImportRejectsMalformedKeyPairsWithAReason(string hex, HeliumKeyError expected)
    {
        Assert.False(HeliumKeyPair.TryImport(Convert.FromHexString(hex), out var keyPair, out var error));
        Assert.Null(keyPair);
        Assert.Equal(expected, error);
        Assert.Throws<FormatException>(() => HeliumKeyPair.Import(Convert.FromHexString(hex)));
    }

    [Fact]
    public void FromEntropyValidatesItsArguments()
    {
        Assert.Throws<ArgumentException>(() => HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, new byte[31]));
        Assert.Throws<ArgumentException>(() => HeliumKeyPair.FromEntropy(HeliumKeyType.EccCompact, HeliumNetwork.MainNet, new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeliumKeyPair.FromEntropy((HeliumKeyType)2, HeliumNetwork.MainNet, new byte[32]));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeliumKeyPair.Generate(HeliumKeyType.Ed25519, (HeliumNetwork)0x20));
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void ToStringNeverShowsTheSecret(HeliumKeyType keyType, HeliumNetwork network)
    {
        using var keyPair = HeliumKeyPair.Generate(keyType, network);
        var secret = keyPair.Export().AsSpan(1, 32).ToArray();
        var text = keyPair.ToString();

        Assert.Contains(keyPair.PublicKey.ToAddress(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(secret), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(secret), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Base58Check.Encode(secret), text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void PublicKeyOutlivesItsDisposedKeyPair(HeliumKeyType keyType, HeliumNetwork network)
    {
        var keyPair = HeliumKeyPair.Generate(keyType, network);
        var signature = keyPair.Sign("outlive"u8);
        var publicKey = keyPair.PublicKey;
        keyPair.Dispose();

        Assert.True(publicKey.Verify("outlive"u8, signature));
        Assert.ThrowsAny<ObjectDisposedException>(() => keyPair.Sign("outlive"u8));
    }

    [Fact]
    public void VerificationIsSafeAcrossThreads()
    {
        using var ecc = HeliumKeyPair.Generate(HeliumKeyType.EccCompact, HeliumNetwork.MainNet);
        using var ed25519 = HeliumKeyPair.Generate(HeliumKeyType.Ed25519, HeliumNetwork.MainNet);
        var eccKey = HeliumPublicKey.Parse(ecc.PublicKey.ToBytes());
        var edKey = HeliumPublicKey.Parse(ed25519.PublicKey.ToBytes());
        var messages = Enumerable.Range(0, 16).Select(i => BitConverter.GetBytes(i * 7919)).ToArray();
        var eccSignatures = messages.Select(m => ecc.Sign(m)).ToArray();
        var edSignatures = messages.Select(m => ed25519.Sign(m)).ToArray();
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var m = i % messages.Length;
            var wrong = (m + 1) % messages.Length;
            if (!eccKey.Verify(messages[m], eccSignatures[m]) || eccKey.Verify(messages[m], eccSignatures[wrong])
                || !edKey.Verify(messages[m], edSignatures[m]) || edKey.Verify(messages[m], edSignatures[wrong])
                || !ecc.PublicKey.Verify(messages[m], ecc.Sign(messages[m])))
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }
}
