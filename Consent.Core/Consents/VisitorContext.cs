using Consent.Core.Languages;

namespace Consent.Core.Consents;

/// <summary>
/// What the center may know of the visitor making a choice: the consent cookie they already
/// hold (if any), and coarse facts from their request headers. Never an IP address.
/// <paramref name="ShownLanguage"/> is the language the page was shown in, when the caller knows it
/// (the request's negotiated language); without it the language is negotiated from <paramref name="AcceptLanguage"/>.
/// </summary>
public sealed record VisitorContext(string? ConsentCookie, string? AcceptLanguage, string? UserAgent, string? ShownLanguage = null)
{
    /// <summary>The languages the visitor texts exist in (discovered from the resource files); the first is the default.</summary>
    public static IReadOnlyList<string> SupportedLanguages => VisitorLanguages.Supported;

    /// <summary>
    /// The language the center shows this visitor, and so the language of the texts their decision
    /// answers: the language the page was shown in, else the first of the browser's preferred languages
    /// (by q-value) that the center has, else English.
    /// </summary>
    public string Language => VisitorLanguages.Negotiate(ShownLanguage, AcceptLanguage);

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
