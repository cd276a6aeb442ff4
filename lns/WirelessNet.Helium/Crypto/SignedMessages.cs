using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace WirelessNet.Helium.Crypto;

/// <summary>
/// Helium's convention for signed protobuf messages (gateway-rs <c>MsgSign</c>, helium-proto
/// <c>MsgHasSignature</c>): the signature covers the message's own protobuf encoding with its signature field
/// cleared. Verification clones the message, clears the field and re-encodes; Google.Protobuf keeps unknown
/// fields and writes them back, so messages from senders with a newer schema still verify as long as the
/// sender encoded known fields in field-number order and any unknown fields after them (what protobuf
/// encoders do when the unknown fields carry the highest numbers).
/// </summary>
public static class SignedMessages
{
    /// <summary>Name of the bytes field the descriptor-based overloads sign and verify.</summary>
    public const string SignatureFieldName = "signature";

    // Messages this size or smaller are encoded on the stack; gateway messages are a few hundred bytes.
    private const int StackEncodingLimit = 1024;

    /// <summary>Signs <paramref name="message"/> with <paramref name="key"/> and stores the result in its <c>signature</c> field.</summary>
    /// <returns>The signature that was stored.</returns>
    /// <exception cref="ArgumentException">The message type has no singular bytes field named <c>signature</c>.</exception>
    public static ByteString Sign<T>(T message, HeliumKeyPair key)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        var field = SignatureField<T>.Get(message);
        return SignCore(message, key, m => field.Clear(m), (m, signature) => field.SetValue(m, signature));
    }

    /// <summary>True when the message's <c>signature</c> field holds a valid signature by <paramref name="key"/> over the rest of the message.</summary>
    /// <exception cref="ArgumentException">The message type has no singular bytes field named <c>signature</c>.</exception>
    public static bool Verify<T>(T message, HeliumPublicKey key)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        var field = SignatureField<T>.Get(message);
        return VerifyCore(message, key, m => (ByteString)field.GetValue(m), m => field.Clear(m));
    }

    /// <summary>Signs with the signature field reached through a setter (no reflection), storing and returning the signature.</summary>
    public static ByteString Sign<T>(T message, HeliumKeyPair key, Action<T, ByteString> setSignature)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(setSignature);
        return SignCore(message, key, m => setSignature(m, ByteString.Empty), setSignature);
    }

    /// <summary>Verifies with the signature field reached through accessors (no reflection).</summary>
    public static bool Verify<T>(T message, HeliumPublicKey key, Func<T, ByteString> getSignature, Action<T, ByteString> setSignature)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(setSignature);
        return VerifyCore(message, key, getSignature, m => setSignature(m, ByteString.Empty));
    }

    /// <summary>
    /// Verifies a message the caller owns exclusively (no other thread reads it meanwhile): the signature field is
    /// cleared in place for the encoding and put back before returning, which spares the clone of
    /// <see cref="Verify{T}(T, HeliumPublicKey, Func{T, ByteString}, Action{T, ByteString})"/> on hot paths.
    /// </summary>
    public static bool VerifyOwned<T>(T message, HeliumPublicKey key, Func<T, ByteString> getSignature, Action<T, ByteString> setSignature)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(getSignature);
        ArgumentNullException.ThrowIfNull(setSignature);

        var signature = getSignature(message);
        if (signature is null || signature.IsEmpty)
        {
            return false;
        }

        setSignature(message, ByteString.Empty);
        byte[]? rented = null;
        try
        {
            var size = message.CalculateSize();
            Span<byte> encoded = size <= StackEncodingLimit ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size)).AsSpan(0, size);
            message.WriteTo(encoded);
            return key.Verify(encoded, signature.Span);
        }
        finally
        {
            setSignature(message, signature);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ByteString SignCore<T>(T message, HeliumKeyPair key, Action<T> clearSignature, Action<T, ByteString> setSignature)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(key);

        // Signing fills in the caller's message anyway, so clear the field in place rather than cloning.
        clearSignature(message);
        var size = message.CalculateSize();
        byte[]? rented = null;
        Span<byte> encoded = size <= StackEncodingLimit ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size)).AsSpan(0, size);
        try
        {
            message.WriteTo(encoded);
            var signature = ByteString.CopyFrom(key.Sign(encoded));
            setSignature(message, signature);
            return signature;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool VerifyCore<T>(T message, HeliumPublicKey key, Func<T, ByteString> getSignature, Action<T> clearSignature)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(getSignature);

        var signature = getSignature(message);
        if (signature is null || signature.IsEmpty)
        {
            return false;
        }

        // A clone leaves the caller's message untouched, so concurrent readers never see the field cleared.
        var unsigned = message.Clone();
        clearSignature(unsigned);
        var size = unsigned.CalculateSize();
        byte[]? rented = null;
        Span<byte> encoded = size <= StackEncodingLimit ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size)).AsSpan(0, size);
        try
        {
            unsigned.WriteTo(encoded);
            return key.Verify(encoded, signature.Span);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The accessor of <typeparamref name="T"/>'s signature field, looked up once per message type.</summary>
    private static class SignatureField<T>
        where T : IMessage<T>
    {
        private static IFieldAccessor? s_accessor;

        public static IFieldAccessor Get(T message)
        {
            // Racing first calls resolve the same accessor; either store is fine.
            return s_accessor ??= Resolve(message.Descriptor);
        }

        private static IFieldAccessor Resolve(MessageDescriptor descriptor)
        {
            var field = descriptor.FindFieldByName(SignatureFieldName);
            if (field is null || field.FieldType != FieldType.Bytes || field.IsRepeated || field.IsMap)
            {
                throw new ArgumentException($"{descriptor.FullName} has no singular bytes field named '{SignatureFieldName}'.", nameof(T));
            }

            return field.Accessor;
        }
    }
}
