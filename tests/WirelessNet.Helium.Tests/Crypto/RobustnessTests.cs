using WirelessNet.Helium.Crypto;

namespace WirelessNet.Helium.Tests.Crypto;

/// <summary>Untrusted bytes from the network must never throw out of parsing or verification.</summary>
public sealed class RobustnessTests
{
    private static readonly HeliumKeyPair Ecc = HeliumKeyPair.FromEntropy(HeliumKeyType.EccCompact, HeliumNetwork.MainNet, FindCompactEntropy());
    private static readonly HeliumKeyPair Ed25519 = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, new byte[32]);

    [Fact]
    public void RandomBinaryKeysNeverThrow()
    {
        var random = new Random(11);
        var parsedEcc = 0;
        for (var i = 0; i < 4000; i++)
        {
            var bytes = new byte[i % 5 == 0 ? random.Next(0, 70) : HeliumPublicKey.BinaryLength];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length > 0)
            {
                bytes[0] = (byte)(bytes[0] & 0x11); // mostly well-formed prefixes, to reach the point checks
            }

            if (HeliumPublicKey.TryParse(bytes, out var key, out var error))
            {
                Assert.Equal(HeliumKeyError.None, error);
                Assert.False(key.Verify(bytes, bytes));
                parsedEcc += key.KeyType == HeliumKeyType.EccCompact ? 1 : 0;
            }
            else
            {
                Assert.NotEqual(HeliumKeyError.None, error);
            }
        }

        Assert.True(parsedEcc > 100, "about half of random X coordinates are on the curve");
    }

    [Fact]
    public void RandomKeyPairBytesNeverThrow()
    {
        var random = new Random(12);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 2) == 0 ? random.Next(0, 80) : (i % 2 == 0 ? 33 : 65)];
            random.NextBytes(bytes);
            if (bytes.Length > 0)
            {
                bytes[0] = (byte)(bytes[0] & 0x11);
            }

            if (HeliumKeyPair.TryImport(bytes, out var keyPair))
            {
                keyPair.Dispose();
            }
        }
    }

    [Fact]
    public void RandomAddressesNeverThrow()
    {
        var random = new Random(13);
        const string Characters = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl+/ é";
        for (var i = 0; i < 2000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 70)).Select(_ => Characters[random.Next(Characters.Length)]).ToArray());
            _ = HeliumPublicKey.TryParseAddress(text, out _, out _);
        }
    }

    [Fact]
    public void RandomSignaturesNeverThrowAndNeverVerify()
    {
        var random = new Random(14);
        var message = new byte[60];
        random.NextBytes(message);
        foreach (var key in new[] { Ecc.PublicKey, Ed25519.PublicKey })
        {
            for (var i = 0; i < 3000; i++)
            {
                var signature = new byte[random.Next(0, 100)];
                random.NextBytes(signature);
                if (i % 3 == 0 && signature.Length >= 8)
                {
                    // Shape it like DER so parsing reaches the integers and the platform verifier.
                    signature[0] = 0x30;
                    signature[1] = (byte)(signature.Length - 2);
                }

                Assert.False(key.Verify(message, signature));
            }
        }
    }

    [Fact]
    public void WellFormedDerWithOutOfRangeScalarsIsFalse()
    {
        var message = "range"u8.ToArray();

        // r = s = 2^256 - 1: valid DER, but above the group order.
        var allOnes = Convert.FromHexString("3046022100" + new string('f', 64) + "022100" + new string('f', 64));
        Assert.False(Ecc.PublicKey.Verify(message, allOnes));

        // r = s = n.
        const string Order = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
        Assert.False(Ecc.PublicKey.Verify(message, Convert.FromHexString("3046022100" + Order + "022100" + Order)));

        // r = s = 1.
        Assert.False(Ecc.PublicKey.Verify(message, Convert.FromHexString("3006020101020101")));
    }

    [Fact]
    public void Ed25519SignatureOfTheWrongLengthOrDerShapeIsFalse()
    {
        var signature = Ed25519.Sign("m"u8);

        Assert.False(Ed25519.PublicKey.Verify("m"u8, signature.AsSpan(0, 63)));
        Assert.False(Ed25519.PublicKey.Verify("m"u8, Ecc.Sign("m"u8)));
        Assert.False(Ecc.PublicKey.Verify("m"u8, signature));
    }

    private static byte[] FindCompactEntropy()
    {
        for (byte i = 1; ; i++)
        {
            var entropy = new byte[32];
            entropy[31] = i;
            if (HeliumKeyPair.TryImport([0x00, .. entropy], out var keyPair))
            {
                keyPair.Dispose();
                return entropy;
            }
        }
    }
}
