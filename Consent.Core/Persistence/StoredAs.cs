using System.Text;
using Consent.Core.Consents;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Consent.Core.Persistence;

/// <summary>How a consent record's fields are written compactly, the same on both engines.</summary>
internal static class StoredAs
{
    /// <summary>The visitor id (32 lower-case hex digits) as its 16 bytes.</summary>
    public static readonly ValueConverter<string, byte[]> VisitorIdBytes = new(
        v => Convert.FromHexString(v),
        v => Convert.ToHexStringLower(v));

    /// <summary>
    /// The decisions in catalogue order as one text, each category key marked granted or denied:
    /// <c>+functional +analytics -social-media</c>. Keys start with a letter and hold no space.
    /// </summary>
    public static readonly ValueConverter<List<ConsentDecision>, string> DecisionsText = new(
        v => WriteDecisions(v),
        v => ReadDecisions(v));

    public static readonly ValueComparer<List<ConsentDecision>> DecisionsComparer = new(
        (a, b) => WriteDecisions(a!) == WriteDecisions(b!),
        v => WriteDecisions(v).GetHashCode(StringComparison.Ordinal),
        v => ReadDecisions(WriteDecisions(v)));

    public static string WriteDecisions(List<ConsentDecision> decisions)
    {
        var text = new StringBuilder();
        foreach (var d in decisions)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append(d.Granted ? '+' : '-').Append(d.CategoryKey);
        }
        return text.ToString();
    }

    public static List<ConsentDecision> ReadDecisions(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => new ConsentDecision { CategoryKey = d[1..], Granted = d[0] == '+' })
            .ToList();
}
