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
}
