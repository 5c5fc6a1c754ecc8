using System.Net;
using System.Text.Json;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

public abstract class LanguageTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : LanguageTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : LanguageTests(TestEngine.Postgres);

    private const string FrenchBrowser = "fr-FR,fr;q=0.9,en;q=0.8";
    private const string EnglishBrowser = "en-GB,en;q=0.9";

    private static string Text(AngleSharp.Dom.IElement? element) => Assert.IsAssignableFrom<AngleSharp.Dom.IElement>(element).TextContent;

    [Fact]
    public async Task A_French_browser_gets_the_banner_in_French_with_French_category_names()
    {
        var (response, page) = await client.GetPageAsync("/", acceptLanguage: FrenchBrowser);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fr", page.DocumentElement.GetAttribute("lang"));
        var banner = page.QuerySelector("#cc-banner")!;
        Assert.Equal("Nous utilisons des cookies", Text(page.GetElementById(banner.GetAttribute("aria-labelledby")!)));
        Assert.Equal(["Tout accepter", "Tout refuser", "Personnaliser"], banner.QuerySelectorAll("button").Select(b => b.TextContent.Trim()));
        Assert.Equal(["Mesure d'audience", "Réseaux sociaux + vidéos intégrées"], banner.QuerySelectorAll("strong").Select(s => s.TextContent));
        Assert.Contains("(Fonctionnels, toujours actifs)", banner.TextContent);
        Assert.Equal("Bienvenue dans la communauté", Text(page.QuerySelector("h1")));
        Assert.Equal("Communauté", page.Title);
        Assert.Empty(response.SetCookieNames());
    }

    [Theory]
    [InlineData(null, "en", "We use cookies")]
    [InlineData(EnglishBrowser, "en", "We use cookies")]
    [InlineData("de-DE,de;q=0.9", "en", "We use cookies")]
    [InlineData("de-DE,fr-CA;q=0.8,en;q=0.5", "fr", "Nous utilisons des cookies")]
    public async Task The_language_is_the_first_of_the_browser_s_the_center_has_else_English(string? acceptLanguage, string lang, string title)
    {
        var (_, page) = await client.GetPageAsync("/privacy", acceptLanguage: acceptLanguage);

        Assert.Equal(lang, page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(title, Text(page.GetElementById("cc-banner-title")));
    }

    [Theory]
    [InlineData("fr", EnglishBrowser, "fr", "Politique relative aux cookies")]
    [InlineData("en", FrenchBrowser, "en", "Cookies Policy")]
    [InlineData("xx", FrenchBrowser, "fr", "Politique relative aux cookies")]
    public async Task The_language_chosen_with_the_switch_wins_over_the_browser_s(string cookie, string acceptLanguage, string lang, string heading)
    {
        var (_, page) = await client.GetPageAsync("/cookies", acceptLanguage: acceptLanguage, languageCookie: cookie);

        Assert.Equal(lang, page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(heading, Text(page.QuerySelector("h1")));
    }

    [Fact]
    public async Task Every_visitor_page_has_the_switch_each_language_named_in_itself_and_the_current_one_marked()
    {
        foreach (var path in new[] { "/", "/privacy", "/cookies", "/preferences", "/no-such-page" })
        {
            var (_, page) = await client.GetPageAsync(path, acceptLanguage: FrenchBrowser);

            var links = page.QuerySelectorAll("[data-testid=language-switch] a").ToList();
            Assert.Equal(["English", "Français"], links.Select(a => a.TextContent.Trim()));
            Assert.Equal(["en", "fr"], links.Select(a => a.GetAttribute("lang")));
            Assert.Equal(["en", "fr"], links.Select(a => a.GetAttribute("hreflang")));
            Assert.Equal([null, "true"], links.Select(a => a.GetAttribute("aria-current")));
            Assert.Equal($"/language/en?returnUrl={Uri.EscapeDataString(path)}", links[0].GetAttribute("href"));
            Assert.Equal("Langue", page.QuerySelector("[data-testid=language-switch]")!.GetAttribute("aria-label"));
        }
    }

    [Fact]
    public async Task The_switch_remembers_the_language_in_a_lax_http_only_cookie_for_12_months_and_goes_back()
    {
        var response = await client.GetAsync("/language/fr?returnUrl=%2Fcookies%3Fcc%3Dsaved");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/cookies", response.Headers.Location!.OriginalString);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("cc_lang=fr;", setCookie);
        Assert.Contains("path=/", setCookie);
        Assert.Contains("samesite=lax", setCookie);
        Assert.Contains("httponly", setCookie);
        Assert.Contains("expires=Mon, 29 Nov 2027 10:00:00 GMT", setCookie);

        var (_, page) = await client.GetPageAsync("/cookies", acceptLanguage: EnglishBrowser, languageCookie: "fr");
        Assert.Equal("fr", page.DocumentElement.GetAttribute("lang"));
    }

    [Theory]
    [InlineData("de")]
    [InlineData("FR")]
    [InlineData("fr-FR")]
    public async Task A_language_the_center_does_not_have_is_refused_naming_the_code_and_sets_no_cookie(string code)
    {
        var response = await client.GetAsync($"/language/{code}?returnUrl=/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = problem.RootElement.GetProperty("errors").GetProperty("code")[0].GetString();
        Assert.Contains($"\"{code}\"", message);
        Assert.Contains("en, fr", message);
        Assert.Empty(response.SetCookieNames());
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("")]
    public async Task The_switch_goes_back_only_to_a_page_of_this_site(string returnUrl)
    {
        var response = await client.GetAsync($"/language/en?returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        Assert.Equal([CenterCookies.Language], response.SetCookieNames());
    }

    [Theory]
    [InlineData("/é", "/%C3%A9")]
    [InlineData("/%C3%A9", "/%C3%A9")]
    [InlineData("/cookies?q=é", "/cookies?q=%C3%A9")]
    public async Task A_return_address_with_characters_outside_ASCII_goes_back_escaped(string returnUrl, string location)
    {
        var response = await client.GetAsync($"/language/en?returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_language_cookie_is_declared_as_a_functional_cookie_with_its_function_in_French()
    {
        var (_, page) = await client.GetPageAsync("/cookies", acceptLanguage: FrenchBrowser);

        var row = page.QuerySelectorAll("[data-testid=category-functional] tbody tr")
            .Single(r => r.QuerySelector("code")!.TextContent == CenterCookies.Language);
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent).ToList();
        Assert.Equal("Ce site (centre de consentement)", cells[0]);
        Assert.Equal("12\u00a0mois", cells[2]);
        Assert.StartsWith("Mémorise la langue que vous avez choisie", cells[3]);
    }

    [Fact]
    public async Task A_choice_made_in_French_is_recorded_in_French()
    {
        var byCookie = await client.PostChoiceAsync(BannerForm("accept-all"), acceptLanguage: EnglishBrowser, languageCookie: "fr");
        var byBrowser = await client.PostChoiceAsync(BannerForm("reject-all"), acceptLanguage: FrenchBrowser);
        var inEnglish = await client.PostChoiceAsync(BannerForm("reject-all"), acceptLanguage: FrenchBrowser, languageCookie: "en");

        Assert.All([byCookie, byBrowser, inEnglish], r => Assert.Equal(HttpStatusCode.SeeOther, r.StatusCode));
        var records = await StoredRecordsAsync();
        // Each visitor's record, found by the visitor id in the cookie it was answered with.
        string LanguageOf(HttpResponseMessage post) => records.Single(r => r.VisitorId == post.ConsentCookieValue().Split('.')[1]).Language;
        Assert.Equal(["fr", "fr", "en"], [LanguageOf(byCookie), LanguageOf(byBrowser), LanguageOf(inEnglish)]);
    }

    [Fact]
    public async Task A_banner_shown_in_French_is_counted_as_a_French_view()
    {
        await client.GetPageAsync("/", acceptLanguage: EnglishBrowser, languageCookie: "fr");
        await client.GetPageAsync("/privacy", acceptLanguage: FrenchBrowser, languageCookie: "en");

        await app.Services.GetRequiredService<Consent.Core.Statistics.BannerViewCounter>().FlushAsync();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var views = await db.BannerViewRollups.AsNoTracking().OrderBy(r => r.Language).Select(r => new { r.Language, r.Count }).ToListAsync();
        Assert.Equal([("en", 1L), ("fr", 1L)], views.Select(v => (v.Language, v.Count)));
    }

    [Fact]
    public async Task The_cookie_policy_in_French_has_French_headers_durations_functions_and_date()
    {
        var (_, page) = await client.GetPageAsync("/cookies", acceptLanguage: FrenchBrowser);

        Assert.Equal("Version 1, publiée le 29 novembre 2026.", Text(page.QuerySelector("[data-testid=policy-version]")).Trim());
        var analytics = page.QuerySelector("[data-testid=category-analytics]")!;
        Assert.Equal("Cookies «\u00a0Mesure d'audience\u00a0»", Text(analytics.QuerySelector("h3")));
        Assert.Equal(["Nom du fournisseur", "Nom du cookie", "Durée", "Finalité"], analytics.QuerySelectorAll("th").Select(h => h.TextContent));
        var gid = analytics.QuerySelectorAll("tbody td").Select(c => c.TextContent).ToList();
        Assert.Equal(["Gainsight", "_gid (Google Analytics)", "24\u00a0heures"], gid.Take(3));
        Assert.StartsWith("Suit la visite de l'utilisateur de façon anonyme.", gid[3]);
        Assert.Equal("Cookies «\u00a0Fonctionnels\u00a0» (toujours actifs)", Text(page.QuerySelector("[data-testid=category-functional] h3")));
    }

    [Fact]
    public async Task A_catalogue_text_the_team_has_edited_is_shown_as_written_not_with_a_stale_translation()
    {
        var catalogue = app.Services.GetRequiredService<CatalogueService>();
        var analytics = (await catalogue.ListCategoriesAsync()).Single(c => c.Key == "analytics");
        await catalogue.UpdateCategoryAsync(analytics.Id, new CategoryInput
        {
            Id = analytics.Id,
            Key = analytics.Key,
            Name = "Audience measurement",
            Description = analytics.Description,
            Order = analytics.Order,
        }, ConsentAppFactory.AdminEmail);
        var locale = (await catalogue.ListCookiesAsync()).Single(c => c.Name == "Locale");
        await catalogue.UpdateCookieAsync(locale.Id, new CookieInput
        {
            Id = locale.Id,
            SupplierName = locale.Supplier,
            Name = locale.Name,
            CategoryKey = locale.CategoryKey,
            Duration = locale.Duration,
            Function = "Remembers the language and country you chose for the community pages.",
        }, ConsentAppFactory.AdminEmail);

        var (_, page) = await client.GetPageAsync("/cookies", acceptLanguage: FrenchBrowser);

        var section = page.QuerySelector("[data-testid=category-analytics]")!;
        Assert.Equal("Cookies «\u00a0Audience measurement\u00a0»", Text(section.QuerySelector("h3")));
        // The description was not edited: its translation is still true, so it is shown.
        Assert.StartsWith("Ces cookies servent à analyser", Text(section.QuerySelector("p")));
        var localeRow = page.QuerySelectorAll("[data-testid=category-functional] tbody tr").Single(r => r.QuerySelector("code")!.TextContent == "Locale");
        Assert.Equal("Remembers the language and country you chose for the community pages.", localeRow.QuerySelectorAll("td")[3].TextContent);
    }

    [Fact]
    public async Task The_preference_center_in_French_shows_the_decision_with_French_dates()
    {
        var post = await client.PostChoiceAsync(BannerForm("accept-all"), languageCookie: "fr");

        var (_, page) = await client.GetPageAsync("/preferences", post.ConsentCookieValue(), languageCookie: "fr");

        Assert.Equal("fr", page.DocumentElement.GetAttribute("lang"));
        var decision = Text(page.QuerySelector("[data-testid=current-decision]"));
        Assert.Contains("Votre choix du 29 novembre 2026 à 10:00 UTC est en vigueur jusqu'au 29 mai 2027 à 10:00 UTC.", decision);
        Assert.Contains("Retirer mon consentement (tout refuser)", page.QuerySelector("[data-testid=preferences-form]")!.TextContent);
        Assert.Equal("Paramètres des cookies", page.Title);
    }

    [Fact]
    public async Task The_privacy_policy_error_pages_header_and_footer_are_translated()
    {
        var (_, privacy) = await client.GetPageAsync("/privacy", acceptLanguage: FrenchBrowser);
        var (notFound, missing) = await client.GetPageAsync("/no-such-page", acceptLanguage: FrenchBrowser);

        Assert.Equal("Politique de confidentialité", Text(privacy.QuerySelector("h1")));
        Assert.Equal("5. Quels sont mes droits sur mes données personnelles\u00a0? Comment les exercer\u00a0?",
            privacy.QuerySelectorAll("h3").Last().TextContent);
        Assert.Equal("Aller au contenu principal", Text(privacy.QuerySelector(".skip-link")));
        Assert.Equal("Paramètres des cookies", Text(privacy.QuerySelector("[data-testid=cookie-settings-link]")));
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("Page introuvable", Text(missing.QuerySelector("h1")));
    }

    [Fact]
    public async Task The_privacy_team_s_pages_stay_English_for_a_French_browser()
    {
        var (_, login) = await client.GetPageAsync("/account/login", acceptLanguage: FrenchBrowser, languageCookie: "fr");

        Assert.Equal("en", login.DocumentElement.GetAttribute("lang"));
    }
}
