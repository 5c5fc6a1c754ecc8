using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Forms;

namespace Consent.App.Components;

/// <summary>
/// Replaces the framework's antiforgery state provider, which issues a token, and so sets the
/// antiforgery cookie, on every rendered page. A random cookie before the visitor's first choice
/// is an identifier, so tokens are issued only on the paths listed here, whose forms need them.
/// Visitor forms do not: they post to <c>/consent</c>, which refuses cross-site posts by their headers.
/// </summary>
public sealed class OnDemandAntiforgeryStateProvider(IAntiforgery antiforgery, IHttpContextAccessor accessor) : AntiforgeryStateProvider
{
    /// <summary>Path prefixes whose pages hold forms protected by an antiforgery token (the members' forms; none on the visitor side).</summary>
    public static readonly string[] ProtectedPaths = ["/admin", "/account", "/members"];

    public override AntiforgeryRequestToken? GetAntiforgeryToken()
    {
        var http = accessor.HttpContext;
        if (http is null || !ProtectedPaths.Any(p => http.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        var tokens = http.Response.HasStarted ? antiforgery.GetTokens(http) : antiforgery.GetAndStoreTokens(http);
        return tokens.RequestToken is null ? null : new AntiforgeryRequestToken(tokens.RequestToken, tokens.FormFieldName);
    }
}
