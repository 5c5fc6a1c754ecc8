using Consent.App.Api;
using Consent.App.Components;
using Consent.App.Endpoints;
using Consent.Core.Consents;
using Consent.Core.Policies;
using Consent.Core.Snapshot;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Diagnostics;

namespace Consent.App.Visitors;

/// <summary>
/// A visitor's request, read once (<see cref="VisitorRequests"/>) and handed to components and endpoints: the consent cookie,
/// the privacy signal, the shown language, the browser family, the same-site check and the return address, with the decision
/// in force worked out against the <see cref="CenterSnapshot"/> of this request. Nothing here reads the database.
/// </summary>
public sealed class VisitorRequest(HttpContext http, CenterSnapshot snapshot, ConsentService consents, ConsentOptions options)
{
    private CurrentConsent? consent;
    private PostOrigin? origin;
    private string? returnUrl;
    private string? consentModeScript;
    // Each part is read on first use: a request for a file or for the API pays only for what it asks.
    private string? consentCookie;
    private bool consentCookieRead;
    private PrivacySignal? signal;
    private string? layer;
    private string? language;

    /// <summary>The catalogue, policy, settings and Consent Mode this request is answered from.</summary>
    public CenterSnapshot Snapshot { get; } = snapshot;

    /// <summary>The consent cookie: the <c>Consent-Cookie</c> header of a script on another site, else <c>cc_consent</c>.</summary>
    public string? ConsentCookie
    {
        get
        {
            if (!consentCookieRead)
            {
                consentCookie = http.Request.Headers[ConsentApi.CookieHeader].ToString() is { Length: > 0 } header
                    ? header : http.Request.Cookies[Core.Consents.ConsentCookie.Name];
                consentCookieRead = true;
            }
            return consentCookie;
        }
    }

    /// <summary>Whether the request carries a consent cookie at all (valid or not): only requests without one share cached pages.</summary>
    public bool HasConsentCookie => ConsentCookie is not null;


    /// <summary>A browser privacy signal the request carries (Sec-GPC, DNT).</summary>
    public PrivacySignal Signal => signal ??= PrivacySignals.Read(http.Request.Headers[PrivacySignals.GpcHeader], http.Request.Headers[PrivacySignals.DntHeader]);

    /// <summary>The language the pages of this request are shown in, as request localization negotiated it.</summary>
    public string Language => language ??= LanguageEndpoints.ShownLanguage(http);

    public string BrowserFamily => VisitorContext.BrowserFamilyOf(http.Request.Headers.UserAgent);

    /// <summary>The decision in force, or the banner's question.</summary>
    public CurrentConsent Consent => consent ??= consents.GetCurrent(Snapshot, ConsentCookie, Signal);

    /// <summary>Where a post comes from: the center's own pages, a configured site (<c>Consent:Sites</c>), or elsewhere.</summary>
    public PostOrigin Origin => origin ??= PostOrigin.Of(http.Request, options);

    /// <summary>The banner's layer asked for in the query: "customize", "saved", or none.</summary>
    public string Layer => layer ??= http.Request.Query[ConsentFormEndpoints.LayerParameter].ToString();

    /// <summary>An error or not-found page: it asks nothing of the database and carries no banner and no Google tag.</summary>
    public bool IsErrorPage => http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerFeature>() is not null;

    /// <summary>The privacy team's center and sign-in, written for the team: no banner, no Google tag.</summary>
    public bool IsTeamPage => OnDemandAntiforgeryStateProvider.IsTeamPath(http.Request.Path);

    /// <summary>A page whose form carries an antiforgery token (and may show a signed-in member's address): never from the output cache.</summary>
    public bool HoldsTokenForm => OnDemandAntiforgeryStateProvider.IsProtected(http.Request.Path);

    /// <summary>A page rendered interactively (the team's center); every visitor page is static.</summary>
    public bool IsInteractive => http.AcceptsInteractiveRouting();

    /// <summary>A page of the site for visitors (not the team's, not an error page): where the banner may be shown.</summary>
    public bool IsVisitorPage => http.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null && !IsTeamPage && !IsErrorPage;

    /// <summary>
    /// This page as a local address without the banner's layer, to come back to after a choice or a language switch; on an error
    /// or not-found page, the address the visitor asked for.
    /// </summary>
    public string ReturnUrl => returnUrl ??= ConsentFormEndpoints.LocalReturnUrl(
        http.Features.Get<IStatusCodeReExecuteFeature>() is { } reExecuted
            ? reExecuted.OriginalPathBase + reExecuted.OriginalPath + reExecuted.OriginalQueryString
            : http.Request.PathBase + http.Request.Path + http.Request.QueryString);

    /// <summary>The Google Consent Mode script of a site page, first of all scripts; null in mode Off, on team and error pages.</summary>
    public string? ConsentModeScript =>
        (consentModeScript ??= IsTeamPage || IsErrorPage ? "" : Snapshot.ConsentModeScript(Consent) ?? "") is { Length: > 0 } script ? script : null;

    /// <summary>The id a visitor can quote from an error page.</summary>
    public string RequestId => System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier;

    /// <summary>What a choice made in this request tells Core of the visitor.</summary>
    public VisitorContext Context(string? shownLanguage = null) => new(ConsentCookie, shownLanguage ?? Language, http.Request.Headers.UserAgent);
}
