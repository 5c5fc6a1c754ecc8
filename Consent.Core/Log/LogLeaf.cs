using System.Globalization;
using System.Text;
using Consent.Core.Consents;

namespace Consent.Core.Log;

/// <summary>
/// A record's leaf: its canonical content as lines of UTF-8 text (docs/log.md, "Leaves"), hashed as RFC 9162 hashes a leaf.
/// Everything stored about the record is in it except the visitor id, which enters only through its salted commitment.
/// </summary>
public static class LogLeaf
{
    public const string Format = "consent-record v1";

    /// <summary>The leaf's text; <paramref name="policyHash"/> is the SHA-256 of the version's snapshot the record answered.</summary>
    /// <exception cref="InvalidDataException">A field holds a space or a line break, so its line could be read two ways.</exception>
    public static string Text(ConsentRecord record, ReadOnlySpan<byte> policyHash)
    {
        var text = new StringBuilder(Format).Append('\n');
        Line(text, "id", record.Id.ToString("D"));
        Line(text, "recorded-at", Time(record.RecordedAt));
        Line(text, "expires-at", Time(record.ExpiresAt));
        Line(text, "policy-version", record.PolicyVersion.ToString(CultureInfo.InvariantCulture));
        Line(text, "policy-hash", Convert.ToHexStringLower(policyHash));
        Line(text, "method", ConsentVocabulary.Name(record.Method));
        Line(text, "source", ConsentVocabulary.Name(record.Source));
        Line(text, "language", record.Language);
        Line(text, "browser", record.BrowserFamily);
        Line(text, "site", record.Site ?? "-");
        Line(text, "visitor", record.VisitorCommitment is { } c ? Convert.ToHexStringLower(c) : "-");
        foreach (var d in record.Decisions) Line(text, "decision", (d.Granted ? "+" : "-") + d.CategoryKey);
        return text.ToString();
    }

    public static byte[] Hash(ConsentRecord record, ReadOnlySpan<byte> policyHash) =>
        MerkleTree.LeafHash(Encoding.UTF8.GetBytes(Text(record, policyHash)));

    /// <summary>Whole microseconds in UTC, as both engines store a time, always six digits.</summary>
    public static string Time(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string name, string value)
    {
        if (value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new InvalidDataException($"A consent record's {name} must be one word to enter the log.");
        }
        text.Append(name).Append(' ').Append(value).Append('\n');
    }
}
