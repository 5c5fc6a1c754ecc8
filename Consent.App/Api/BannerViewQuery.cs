using System.Globalization;
using Consent.App.Endpoints;
using Consent.Core.Languages;
using Consent.Core.Policies;

namespace Consent.App.Api;

/// <summary>
/// <c>POST /api/v1/banner-views?policyVersion=N&amp;language=xx&amp;site=id</c>: the one banner the script showed, said in the
/// query with no body, so that the beacon is a CORS simple request. Nothing else is accepted: the beacon carries no identifier.
/// </summary>
public sealed record BannerViewQuery(int PolicyVersion, string Language)
{
    public const string PolicyVersionName = "policyVersion";
    public const string LanguageName = "language";
    public const string SiteName = "site";

    /// <summary>Longest value a message repeats back.</summary>
    private const int MaxEchoed = 64;

    /// <summary>The view the request says, or the errors by field; <paramref name="currentPolicy"/> is the version in force.</summary>
    public static (BannerViewQuery? View, Dictionary<string, string[]> Errors) Read(HttpRequest request, PostOrigin origin, ConsentOptions options, int currentPolicy)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            errors["$"] = ["A banner view has no body: say policyVersion, language and site in the query."];
        }
        foreach (var (key, values) in request.Query)
        {
            if (key is not (PolicyVersionName or LanguageName or SiteName))
            {
                errors[Echo(key)] = [$"A banner view says {PolicyVersionName}, {LanguageName} and {SiteName} only; \"{Echo(key)}\" is not one of them."];
            }
            else if (values.Count > 1)
            {
                errors[key] = [$"Give {key} once."];
            }
        }
        if (errors.Count > 0) return (null, errors);

        var version = ReadVersion(request.Query[PolicyVersionName].ToString(), currentPolicy, errors);
        var language = request.Query[LanguageName].ToString();
        if (!VisitorLanguages.Supported.Contains(language))
        {
            errors[LanguageName] = [$"Say the language the banner was shown in (language of GET /api/v1/config): one of {string.Join(", ", VisitorLanguages.Supported)}."];
        }
        if (SiteError(request.Query.TryGetValue(SiteName, out var s) ? s.ToString() : null, request, origin, options) is { } siteError)
        {
            errors[SiteName] = [siteError];
        }
        return errors.Count > 0 ? (null, errors) : (new BannerViewQuery(version, language), errors);
    }

    private static int ReadVersion(string text, int currentPolicy, Dictionary<string, string[]> errors)
    {
        if (text.Length == 0)
        {
            errors[PolicyVersionName] = ["Say which policy version the banner showed (policyVersion of GET /api/v1/config)."];
            return 0;
        }
        // ASCII digits only: int.TryParse would also take a sign, spaces or a trailing NUL.
        if (text.Length > 9 || !text.All(char.IsAsciiDigit) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            errors[PolicyVersionName] = ["policyVersion is a whole number, such as 1."];
            return 0;
        }
        if (version != currentPolicy)
        {
            errors[PolicyVersionName] = [$"Version {version} is not the policy in force; version {currentPolicy} is current: fetch the config again and show its banner."];
        }
        return version;
    }

    /// <summary>The same rule as for choices (<see cref="PostOrigin.SiteError"/>), and a site named must be configured.</summary>
    private static string? SiteError(string? site, HttpRequest request, PostOrigin origin, ConsentOptions options) =>
        origin.SiteError(site, request, "banner", "shown")
        ?? (site is null || options.Sites.ContainsKey(site) ? null : $"There is no site \"{Echo(site)}\"; the sites are those of Consent:Sites.");

    private static string Echo(string text) => text.Length <= MaxEchoed ? text : text[..MaxEchoed] + "…";
}
