using System.Reflection;

namespace WirelessNet.LoRaWan.Tests.Vectors;

/// <summary>
/// Known-answer vectors copied from specifications and public test suites (known-answers.json; its <c>schema</c> string
/// documents every kind). One theory row per case, named by the case id.
/// </summary>
/// <remarks>
/// Skipped on purpose: kind <c>keysRelay</c> (LoRaWAN TS011 relay, out of scope for the core library) — 1 case,
/// ttn-relay-rootworskey. It has no theory and is not counted as checked.
/// </remarks>
public sealed class KnownAnswerVectorTests
{
    /// <summary>Ids of the known-answer cases of one kind (theory rows).</summary>
    public static TheoryData<string> Cases(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var c in VectorFile.KnownAnswers.OfKind(kind))
        {
            data.Add(c.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases), "aes128Encrypt")]
    public void Aes128_encrypt(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "aesCmac")]
    public void Aes_cmac(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "dataFrame")]
    public void Data_frame_decodes_verifies_decrypts_and_reencodes(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "dataMic")]
    public void Data_mic(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "frmPayloadCrypt")]
    public void FrmPayload_crypt(string id) => Check(id);

    /// <summary>Errata vectors must match; "original" (first-published 1.1) vectors must differ — see VectorChecks.CheckFOptsCrypt.</summary>
    [Theory]
    [MemberData(nameof(Cases), "fOptsCrypt")]
    public void FOpts_crypt(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "joinRequest")]
    public void Join_request(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "rejoinRequest")]
    public void Rejoin_request(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "joinAccept")]
    public void Join_accept(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "joinAcceptMic")]
    public void Join_accept_mic(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "joinAcceptCrypt")]
    public void Join_accept_crypt(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "keys10")]
    public void Session_keys_10(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "keys11")]
    public void Session_keys_11(string id) => Check(id);

    [Theory]
    [MemberData(nameof(Cases), "jsKeys")]
    public void Join_server_keys(string id) => Check(id);

    /// <summary>
    /// Every case is covered by one of the theories above (read from their MemberData attributes), except the
    /// deliberately skipped relay kind; at least 30 cases are checked; ids are unique.
    /// </summary>
    [Fact]
    public void Known_answer_file_is_fully_covered_and_checks_at_least_30_cases()
    {
        var file = VectorFile.KnownAnswers;
        Assert.Contains("CONVENTIONS", file.Root.GetProperty("schema").GetString(), StringComparison.Ordinal);

        var theoryKinds = typeof(KnownAnswerVectorTests)
            .GetMethods()
            .SelectMany(m => m.GetCustomAttributes<MemberDataAttribute>())
            .Select(a => (string)a.Parameters[0])
            .ToHashSet(StringComparer.Ordinal);

        var uncovered = file.Cases
            .Where(c => !theoryKinds.Contains(c.Kind) && c.Kind != VectorChecks.SkippedRelayKind)
            .Select(c => $"{c.Id} ({c.Kind})")
            .ToList();
        Assert.True(uncovered.Count == 0, "cases of kinds no theory checks: " + string.Join(", ", uncovered));
        Assert.All(theoryKinds, k => Assert.True(VectorChecks.ByKind.ContainsKey(k), $"no check for theory kind {k}"));

        var duplicateIds = file.Cases.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicateIds);

        var checkedCount = file.Cases.Count(c => theoryKinds.Contains(c.Kind));
        var skipped = file.Cases.Count(c => c.Kind == VectorChecks.SkippedRelayKind);
        Assert.True(checkedCount >= 30, $"only {checkedCount} known-answer cases are checked");
        Assert.Equal(file.Cases.Count, checkedCount + skipped);
    }

    private static void Check(string id)
    {
        var log = VectorChecks.Run(VectorFile.KnownAnswers[id]);
        Assert.True(log.Passed, log.Report());
    }
}
