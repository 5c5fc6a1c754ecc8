using Consent.Core.Policies;

namespace Consent.App.Endpoints;

/// <summary>
/// Where a post to the center comes from, as the browser says it: the center's own pages, a configured site
/// (<c>Consent:Sites</c>), or anywhere else. The one check behind the consent form, the API and signing out.
/// </summary>
public sealed record PostOrigin(bool IsOwn, string? Site, string Origin)
{
    /// <summary>Neither the center's own pages nor a configured site.</summary>
    public bool IsRefused => !IsOwn && Site is null;

    /// <summary>The origin this center is reached at (scheme, host, port), as a browser's Origin header names it.</summary>
    public static string Own(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}";

    /// <summary>The cookie policy's address: <c>Consent:PolicyUrl</c>, else the center's own <c>/cookies</c> page.</summary>
    public static string PolicyUrl(HttpRequest request, ConsentOptions options) =>
        string.IsNullOrEmpty(options.PolicyUrl) ? $"{Own(request)}{request.PathBase}/cookies" : options.PolicyUrl;

    /// <summary>
    /// Browsers send Origin on every cross-origin post (also a text/plain one that needs no preflight) and Sec-Fetch-Site on
    /// every request; a client that sends neither is not a browser, and cannot be made to post by another site.
    /// Behind a reverse proxy, the forwarded-headers middleware gives the request the public scheme and host.
    /// </summary>
    public static PostOrigin Of(HttpRequest request, ConsentOptions? options = null)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return string.Equals(origin, Own(request), StringComparison.OrdinalIgnoreCase)
                ? new PostOrigin(true, null, origin)
                : new PostOrigin(false, options?.SiteOf(origin), origin);
        }
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        return new PostOrigin(fetchSite.Length == 0 || fetchSite is "same-origin" or "none", null, "another site");
    }

    /// <summary>
    /// The rule for the site a post names, the same for a choice and a banner view: a configured site's page names its own site,
    /// and a post sent with the center's own Origin names none. Null when the site is right; else the message, worded for
    /// what was posted (<paramref name="noun"/> "choice", <paramref name="verb"/> "made"). Longer sites than 64 characters are cut.
    /// </summary>
    public string? SiteError(string? site, HttpRequest request, string noun, string verb)
    {
        if (!IsOwn)
        {
            if (site == Site) return null;
            return site is null
                ? $"Name the site the {noun} was {verb} on: {Origin} is site \"{Site}\"."
                : $"This request comes from {Origin}, which is site \"{Site}\", not \"{(site.Length <= 64 ? site : site[..64] + "…")}\".";
        }
        return site is not null && request.Headers.Origin.Count > 0
            ? $"{char.ToUpperInvariant(noun[0])}{noun[1..]}s {verb} on the center's own pages have no site; leave site out."
            : null;
    }
}
