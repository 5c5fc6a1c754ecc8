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
        Line(text, "site", record.Site);
        Line(text, "visitor", record.VisitorCommitment is { } c ? Convert.ToHexStringLower(c) : null);
        foreach (var d in record.Decisions) Line(text, "decision", (d.Granted ? "+" : "-") + d.CategoryKey);
        return text.ToString();
    }

    public static byte[] Hash(ConsentRecord record, ReadOnlySpan<byte> policyHash) =>
        MerkleTree.LeafHash(Encoding.UTF8.GetBytes(Text(record, policyHash)));

    /// <summary>Whole microseconds in UTC, as both engines store a time, always six digits.</summary>
    public static string Time(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).AddTicks(-(utc.Ticks % TimeSpan.TicksPerMicrosecond))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// One line: the name, a space, the value with every byte outside letters, digits and <c>-._~:+</c> written as %XX (UTF-8), so
    /// no value can break a line or look like another; a missing value is <c>-</c>, a value that is just a dash is <c>%2D</c>.
    /// </summary>
    private static void Line(StringBuilder text, string name, string? value)
    {
        text.Append(name).Append(' ');
        if (value is null) text.Append('-');
        else if (value == "-") text.Append("%2D");
        else
        {
            foreach (var b in Encoding.UTF8.GetBytes(value))
            {
                if (char.IsAsciiLetterOrDigit((char)b) || "-._~:+".Contains((char)b)) text.Append((char)b);
                else text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        text.Append('\n');
    }
}
