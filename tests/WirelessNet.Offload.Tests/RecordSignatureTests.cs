using WirelessNet.Offload.Signing;

namespace WirelessNet.Offload.Tests;

public sealed class RecordSignatureTests : IDisposable
{
    private readonly OffloadFixture _fixture = new();
    private readonly HeliumRecordSignatureVerifier _verifier = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Signed_event_and_envelope_verify()
    {
        var request = _fixture.Request(_fixture.Event("e1"));
        Assert.True(_verifier.VerifyEvent(request.Event));
        Assert.True(_verifier.VerifySessionRequest(request));
    }

    [Fact]
    public void Encoding_is_deterministic_and_ignores_the_signature_field()
    {
        var unsigned = _fixture.Event("e1");
        var signed = RecordSigner.SignEvent(unsigned, _fixture.Hotspots[0]);
        Assert.Equal(CanonicalRecordEncoding.EncodeEvent(unsigned), CanonicalRecordEncoding.EncodeEvent(signed));
    }

    [Fact]
    public void Envelope_signature_covers_the_hotspot_signature()
    {
        var request = _fixture.Request(_fixture.Event("e1"));
        var otherSignature = request.Event.Signature.ToArray();
        otherSignature[0] ^= 1;
        Assert.False(_verifier.VerifySessionRequest(request with { Event = request.Event with { Signature = otherSignature } }));
    }

    [Fact]
    public void Every_field_change_breaks_the_event_signature()
    {
        var signed = RecordSigner.SignEvent(_fixture.Event("e1"), _fixture.Hotspots[0]);
        Assert.False(_verifier.VerifyEvent(signed with { UploadBytes = signed.UploadBytes + 1 }));
        Assert.False(_verifier.VerifyEvent(signed with { EventId = "e2" }));
        Assert.False(_verifier.VerifyEvent(signed with { TimestampUnixSeconds = signed.TimestampUnixSeconds + 1 }));
        Assert.False(_verifier.VerifyEvent(signed with { Payer = _fixture.Payers[1].PublicKey }));
        Assert.False(_verifier.VerifyEvent(signed with { AccountingSessionId = "s" }));
    }

    [Fact]
    public void Encoding_starts_with_its_length_prefixed_domain_tag()
    {
        var bytes = CanonicalRecordEncoding.EncodeEvent(_fixture.Event("e1"));
        var tag = System.Text.Encoding.UTF8.GetBytes(CanonicalRecordEncoding.EventTag);
        Assert.Equal(tag.Length, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes));
        Assert.Equal(tag, bytes[4..(4 + tag.Length)]);
    }
}
