using System.ComponentModel;
using System.Text.Json.Serialization;
using Consent.Core.Consents;

namespace Consent.App.Api;

/// <summary>
/// <c>POST /api/v1/consents</c>: a visitor's decision. Unknown fields are refused, so a misspelt field
/// is an error rather than a choice silently recorded without it.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class ConsentRequest
{
    [Description("How the choice was made: accept-all, reject-all, custom or withdrawal.")]
    public ConsentMethod? Method { get; set; }

    [Description("Where the choice was made: banner, preference-center, or placeholder (a notice standing in for blocked content, with an \"allow\" button).")]
    public ConsentSource? Source { get; set; }

    [Description("The policy version the visitor was shown (policyVersion of GET /api/v1/config).")]
    public int? PolicyVersion { get; set; }

    [Description("Category keys granted (custom choices); required categories are granted in any case.")]
    public List<string> Granted { get; set; } = [];

    [Description("Category keys explicitly refused (optional); every category not granted is recorded as refused.")]
    public List<string> Denied { get; set; } = [];

    [Description("The site id (Consent:Sites) of the page, for a page on another website; absent on the center's own pages.")]
    public string? Site { get; set; }

    [Description("The language the banner was shown in (language of GET /api/v1/config); recorded with the choice.")]
    public string? Language { get; set; }
}

/// <summary>The visitor's consent in force, as the script and the API's callers read it.</summary>
public sealed record ConsentStateResponse(
    [property: Description("True when the visitor has a valid decision for the current policy version; false means: show the banner.")]
    bool HasDecision,
    [property: Description("The policy version in force.")]
    int PolicyVersion,
    [property: Description("Categories that may be used now: the decision's grants, or only the required categories without a decision.")]
    IReadOnlyList<string> Granted,
    [property: Description("Categories the decision refused (empty without a decision).")]
    IReadOnlyList<string> Denied,
    Guid? ConsentId,
    DateTime? RecordedAt,
    DateTime? ExpiresAt,
    [property: Description("True when the visitor answered an older policy version: the banner shows what changed.")]
    bool AnsweredOlderPolicy,
    [property: Description("A browser privacy signal honoured instead of a decision: none, global-privacy-control or do-not-track.")]
    string PrivacySignal);

/// <summary>A cookie of the catalogue, as the cookie policy lists it.</summary>
public sealed record CookieResponse(string Supplier, string Name, [property: Description("As written in the policy, e.g. \"24 hours\".")] string Duration, string Function);

/// <summary>A category of the catalogue, in the order visitors see them.</summary>
public sealed record CategoryResponse(string Key, string Name, string Description, bool Required, IReadOnlyList<CookieResponse> Cookies);

/// <summary>A recent policy version and what it changed; the script shows those newer than its visitor's answer.</summary>
public sealed record PolicyChangeResponse(int Version, DateTime PublishedAt, string Summary, IReadOnlyList<string> Categories);

/// <summary>Google Consent Mode v2 as the center is set up: mode and which consent types each category grants.</summary>
public sealed record GoogleConsentModeResponse(
    [property: Description("off, basic or advanced.")] string Mode,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Types);

/// <summary>
/// <c>GET /api/v1/config</c>: everything a banner needs, in one request, the same for every visitor of a language (so a
/// proxy or CDN may keep it); the visitor's state is the script's to work out from its own cookie.
/// </summary>
public sealed record ConsentConfigResponse(
    [property: Description("The language of the texts: ?lang= if the center has it, else Accept-Language, else en.")]
    string Language,
    [property: Description("The policy version in force: a decision holds when its cookie answers this version.")]
    int PolicyVersion,
    [property: Description("The center's cookie policy page.")]
    string PolicyUrl,
    [property: Description("The banner's and the customize layer's texts in that language, by key.")]
    IReadOnlyDictionary<string, string> Texts,
    IReadOnlyList<CategoryResponse> Categories,
    [property: Description("What the newest versions changed, newest first (at most 3): a visitor who answered version N is shown those above N.")]
    IReadOnlyList<PolicyChangeResponse> Changes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    GoogleConsentModeResponse? GoogleConsentMode = null);

/// <summary>The consent cookie to keep: first-party on the embedding site, sent back in the Consent-Cookie header.</summary>
public sealed record ConsentCookieResponse(string Name, string Value, DateTime Expires);

/// <summary><c>201</c> answer of <c>POST /api/v1/consents</c>.</summary>
public sealed record ConsentCreatedResponse(Guid ConsentId, ConsentCookieResponse Cookie, ConsentStateResponse State);
