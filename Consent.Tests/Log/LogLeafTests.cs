using Consent.Core.Consents;
using Consent.Core.Log;

namespace Consent.Tests.Log;

/// <summary>The leaf text of docs/log.md: one line per field, nothing a value holds can break a line or pass for another value.</summary>
public sealed class LogLeafTests
{
    private static readonly byte[] PolicyHash = new byte[32];

    private static ConsentRecord Record(string? site = null, string browser = "Firefox") => new()
    {
        Id = Guid.Parse("0193a1b2-5c3d-7e4f-8a9b-0c1d2e3f4a5b"),
        VisitorId = null,
        PolicyVersion = 2,
        Method = ConsentMethod.Custom,
        Source = ConsentSource.PreferenceCenter,
        RecordedAt = new DateTime(2026, 12, 1, 17, 59, 44, DateTimeKind.Utc).AddTicks(1_234_567),
        ExpiresAt = new DateTime(2027, 12, 1, 17, 59, 44, DateTimeKind.Utc),
        Language = "fr",
        BrowserFamily = browser,
        Site = site,
        Decisions = [new() { CategoryKey = "functional", Granted = true }, new() { CategoryKey = "analytics", Granted = false }],
    };

    [Fact]
    public void A_record_reads_as_the_documented_lines()
    {
        var text = LogLeaf.Text(Record(), PolicyHash);

        Assert.Equal(
            "consent-record v1\nid 0193a1b2-5c3d-7e4f-8a9b-0c1d2e3f4a5b\nrecorded-at 2026-12-01T17:59:44.123456Z\nexpires-at 2027-12-01T17:59:44.000000Z\n" +
            $"policy-version 2\npolicy-hash {new string('0', 64)}\nmethod custom\nsource preference-center\nlanguage fr\nbrowser Firefox\n" +
            "site -\nvisitor -\ndecision +functional\ndecision -analytics\n", text);
    }

    [Theory]
    [InlineData("a b\nsite shop", "a%20b%0Asite%20shop")]
    [InlineData("-", "%2D")]
    [InlineData("50%", "50%25")]
    [InlineData("é", "%C3%A9")]
    public void A_value_that_could_break_its_line_is_percent_encoded(string site, string written)
    {
        var text = LogLeaf.Text(Record(site), PolicyHash);

        Assert.Contains($"\nsite {written}\n", text, StringComparison.Ordinal);
        Assert.Equal(14, text.Count(c => c == '\n'));
    }

    [Fact]
    public void Any_change_of_a_field_changes_the_leaf_hash()
    {
        var hash = LogLeaf.Hash(Record(), PolicyHash);

        Assert.NotEqual(hash, LogLeaf.Hash(Record(site: "shop"), PolicyHash));
        Assert.NotEqual(hash, LogLeaf.Hash(Record(browser: "Chrome"), PolicyHash));
        Assert.NotEqual(hash, LogLeaf.Hash(Record(), new byte[31].Append((byte)1).ToArray()));
    }
}
