using Consent.Core.Languages;

namespace Consent.Core.Consents;

/// <summary>
/// What the center may know of the visitor making a choice: the consent cookie they already hold (if any), the language the
/// banner was shown in (the app negotiated it; Core does not again) and their browser's user agent, kept only as a family.
/// Never an IP address.
/// </summary>
public sealed record VisitorContext(string? ConsentCookie, string? ShownLanguage, string? UserAgent)
{
    /// <summary>The languages the visitor texts exist in (discovered from the resource files); the first is the default.</summary>
    public static IReadOnlyList<string> SupportedLanguages => VisitorLanguages.Supported;

    /// <summary>The language the visitor's choice answers: the one the banner was shown in, English for one the center lacks.</summary>
    public string Language => VisitorLanguages.Find(ShownLanguage) ?? VisitorLanguages.Default;

    /// <summary>The browser family from the user agent, without version or platform.</summary>
    public string BrowserFamily => BrowserFamilyOf(UserAgent);

    public static string BrowserFamilyOf(string? userAgent)
    {
        var ua = userAgent ?? "";
        if (ua.Contains("Edg/", StringComparison.Ordinal)) return "Edge";
        if (ua.Contains("OPR/", StringComparison.Ordinal) || ua.Contains("Opera", StringComparison.Ordinal)) return "Opera";
        if (ua.Contains("Firefox/", StringComparison.Ordinal)) return "Firefox";
        if (ua.Contains("Chrome/", StringComparison.Ordinal) || ua.Contains("Chromium/", StringComparison.Ordinal)) return "Chrome";
        if (ua.Contains("Safari/", StringComparison.Ordinal)) return "Safari";
        return "Other";
    }
}
