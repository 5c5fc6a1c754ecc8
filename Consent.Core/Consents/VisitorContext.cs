namespace Consent.Core.Consents;

/// <summary>
/// What the center may know of the visitor making a choice: the consent cookie they already
/// hold (if any), and coarse facts from their request headers. Never an IP address.
/// </summary>
public sealed record VisitorContext(string? ConsentCookie, string? AcceptLanguage, string? UserAgent)
{
    /// <summary>The primary language subtag of the first Accept-Language entry ("fr-FR,fr;q=0.9" is "fr").</summary>
    public string Language
    {
        get
        {
            var first = (AcceptLanguage ?? "").Split(',', 2)[0].Split(';', 2)[0].Split('-', 2)[0].Trim().ToLowerInvariant();
            return first.Length is >= 2 and <= 8 && first.All(char.IsAsciiLetterLower) ? first : "und";
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
