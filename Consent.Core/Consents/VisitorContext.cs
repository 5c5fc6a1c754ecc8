using System.Globalization;

namespace Consent.Core.Consents;

/// <summary>
/// What the center may know of the visitor making a choice: the consent cookie they already
/// hold (if any), and coarse facts from their request headers. Never an IP address.
/// </summary>
public sealed record VisitorContext(string? ConsentCookie, string? AcceptLanguage, string? UserAgent)
{
    /// <summary>The languages the visitor texts exist in; the first is the default.</summary>
    public static IReadOnlyList<string> SupportedLanguages { get; } = ["en"];

    /// <summary>
    /// The language the center shows this visitor, and so the language of the texts their decision
    /// answers: the first of the browser's preferred languages (by q-value) that the center has.
    /// </summary>
    public string Language
    {
        get
        {
            var preferred = (AcceptLanguage ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(entry => entry.Split(';', StringSplitOptions.TrimEntries))
                .Select(parts => (
                    Language: parts[0].Split('-', 2)[0].ToLowerInvariant(),
                    Quality: parts.Skip(1).Where(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
                        .Select(p => double.TryParse(p[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : 0)
                        .DefaultIfEmpty(1).First()))
                .Where(l => l.Quality > 0)
                .OrderByDescending(l => l.Quality);
            return preferred.Select(l => l.Language).FirstOrDefault(SupportedLanguages.Contains) ?? SupportedLanguages[0];
        }
    }

    /// <summary>The browser family from the user agent, without version or platform.</summary>
    public string BrowserFamily
    {
        get
        {
            var ua = UserAgent ?? "";
            if (ua.Contains("Edg/", StringComparison.Ordinal)) return "Edge";
            if (ua.Contains("OPR/", StringComparison.Ordinal) || ua.Contains("Opera", StringComparison.Ordinal)) return "Opera";
            if (ua.Contains("Firefox/", StringComparison.Ordinal)) return "Firefox";
            if (ua.Contains("Chrome/", StringComparison.Ordinal) || ua.Contains("Chromium/", StringComparison.Ordinal)) return "Chrome";
            if (ua.Contains("Safari/", StringComparison.Ordinal)) return "Safari";
            return "Other";
        }
    }
}
