using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Forms;

namespace Consent.App.Components;

/// <summary>
/// Replaces the framework's antiforgery state provider, which issues a token, and so sets the
/// antiforgery cookie, on every rendered page. A random cookie before the visitor's first choice
/// is an identifier, so tokens are issued only on the paths listed here, whose forms need them.
/// The cookie choices' forms do not: they post to <c>/consent</c>, which refuses cross-site posts by their headers; the rights-request
/// form does, and its token is set only for the person who opens it to file a request.
/// </summary>
public sealed class OnDemandAntiforgeryStateProvider(IAntiforgery antiforgery, IHttpContextAccessor accessor) : AntiforgeryStateProvider
{
    /// <summary>The team's center, its sign-in and the members' pages: written for them, without the banner or Google's tags.</summary>
    public static readonly string[] TeamPaths = ["/admin", "/account", "/members"];

    /// <summary>
    /// Path prefixes whose pages hold forms protected by an antiforgery token: the team's and members' pages, and the rights-request
    /// form, a visitor page the person opens to file a request (so it is never served from the first-visit cache).
    /// </summary>
    public static readonly string[] ProtectedPaths = [.. TeamPaths, "/privacy/request"];

    public static bool IsProtected(PathString path) => ProtectedPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static bool IsTeamPath(PathString path) => TeamPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public override AntiforgeryRequestToken? GetAntiforgeryToken()
    {
        var http = accessor.HttpContext;
        if (http is null || !IsProtected(http.Request.Path))
        {
            return null;
        }
        var tokens = http.Response.HasStarted ? antiforgery.GetTokens(http) : antiforgery.GetAndStoreTokens(http);
        return tokens.RequestToken is null ? null : new AntiforgeryRequestToken(tokens.RequestToken, tokens.FormFieldName);
    }
}
