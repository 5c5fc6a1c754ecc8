using System.Globalization;
using Consent.Core.Catalogue;
using Consent.Core.Languages;
using Microsoft.AspNetCore.Localization;

namespace Consent.App.Endpoints;

/// <summary>
/// The language of a request and the switch that changes it. A visitor is shown the language they chose
/// with the switch (the <c>cc_lang</c> cookie), else the first of their browser's languages the center has,
/// else English. <c>GET /language/{code}?returnUrl=/path</c> is the switch: a plain link, so it works without script.
/// </summary>
public static class LanguageEndpoints
{
    public static IEndpointRouteBuilder MapLanguageSwitch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/language/{code}", SwitchLanguage);
        return app;
    }

    /// <summary>The link of the switch for <paramref name="language"/>, coming back to <paramref name="returnUrl"/>.</summary>
    public static string SwitchPath(string language, string returnUrl) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"/language/{Uri.EscapeDataString(language)}", "returnUrl", returnUrl);

    /// <summary>
    /// Remembers the language in <c>cc_lang</c> and sends the browser back. The cookie holds a language code, the same
    /// for everyone who chose it, so it identifies no one and may be set before any consent choice.
    /// </summary>
    public static IResult SwitchLanguage(string code, string? returnUrl, HttpContext http, TimeProvider time)
    {
        // Exact codes only ("fr", not "fr-CA" or "FR"): the links are ours, and a code we do not have must not set anything.
        var language = VisitorLanguages.Supported.FirstOrDefault(l => l == code);
        if (language is null)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    ["code"] = [$"There are no pages in the language \"{code}\". Choose one of: {string.Join(", ", VisitorLanguages.Supported)}."],
                },
                title: "This language is not available");
        }
        http.Response.Cookies.Append(CenterCookies.Language, language, new CookieOptions
        {
            Path = "/",
            Expires = time.GetUtcNow().AddMonths(CenterCookies.LanguageMonths),
            HttpOnly = true,
            IsEssential = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
        });
        return new SeeOther(ConsentFormEndpoints.LocalReturnUrl(returnUrl));
    }

    /// <summary>
    /// Request localization: the cultures are the discovered languages; the team's pages are English; visitors get
    /// the <c>cc_lang</c> cookie first, then <c>Accept-Language</c>, through the same negotiation a consent record uses.
    /// </summary>
    public static void ConfigureRequestLocalization(RequestLocalizationOptions options)
    {
        var cultures = VisitorLanguages.Supported.Select(CultureInfo.GetCultureInfo).ToList();
        options.DefaultRequestCulture = new RequestCulture(VisitorLanguages.Default);
        options.SupportedCultures = cultures;
        options.SupportedUICultures = cultures;
        options.RequestCultureProviders =
        [
            new CustomRequestCultureProvider(http => Result(IsTeamPage(http.Request) ? VisitorLanguages.Default : null)),
            new CustomRequestCultureProvider(http => Result(VisitorLanguages.Find(http.Request.Cookies[CenterCookies.Language]))),
            new CustomRequestCultureProvider(http => Result(VisitorLanguages.FromAcceptLanguage(http.Request.Headers.AcceptLanguage))),
        ];
    }

    /// <summary>The language this request's pages are shown in: the one a consent record made from it must carry.</summary>
    public static string ShownLanguage(HttpContext http) =>
        http.Features.Get<IRequestCultureFeature>() is { } feature ? VisitorLanguages.Of(feature.RequestCulture.UICulture) : VisitorLanguages.Default;

    /// <summary>The privacy team's center (<c>/admin</c>, <c>/account</c>) is written for the team, in English.</summary>
    private static bool IsTeamPage(HttpRequest request) =>
        request.Path.StartsWithSegments("/admin") || request.Path.StartsWithSegments("/account");

    private static Task<ProviderCultureResult?> Result(string? language) =>
        Task.FromResult(language is null ? null : new ProviderCultureResult(language));
}
