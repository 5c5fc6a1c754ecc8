using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Tests.Support;
using FluentValidation;

namespace Consent.Tests.Core;

public abstract class CatalogueTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : CatalogueTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : CatalogueTests(TestEngine.Postgres);

    private const string Actor = "privacy@example.org";

    [Fact]
    public async Task Seed_has_the_three_categories_of_the_policy_in_order()
    {
        var categories = await db.Get<CatalogueService>().GetCategoriesAsync();

        Assert.Equal(["Functional", "Analytics", "Social media + embedded videos"], categories.Select(c => c.Name));
        Assert.Equal([true, false, false], categories.Select(c => c.IsRequired));
        Assert.StartsWith("These cookies are strictly necessary", categories[0].Description);
        Assert.StartsWith("These cookies are used to analyze how users use the site", categories[1].Description);
        Assert.StartsWith("These cookies are used to help us get to know you better", categories[2].Description);
    }

    [Fact]
    public async Task Seed_has_the_four_Gainsight_cookies_with_duration_and_function_verbatim()
    {
        var cookies = (await db.Get<CatalogueService>().GetCategoriesAsync())
            .SelectMany(c => c.Cookies.Select(k => (Category: c.Key, k.Supplier, k.Name, k.Duration, k.Function)))
            .Where(k => k.Supplier == "Gainsight")
            .ToDictionary(k => k.Name);

        Assert.Equal(4, cookies.Count);
        Assert.Equal(("functional", "5 years"), (cookies["Locale"].Category, cookies["Locale"].Duration));
        Assert.Equal(("functional", "30 Minutes"), (cookies["anon:new_visit"].Category, cookies["anon:new_visit"].Duration));
        Assert.Equal(("analytics", "24 hours"), (cookies["_gid (Google Analytics)"].Category, cookies["_gid (Google Analytics)"].Duration));
        Assert.Equal(("social-media", "Persistent"), (cookies["insights-store"].Category, cookies["insights-store"].Duration));
        Assert.Equal("Used to see if it’s a first-time visit of a user to the platform - If so, then show the cookie banner and any other first-time displays.",
            cookies["anon:new_visit"].Function);
        Assert.Equal("Track anonymously the visit of the user. These two anonymity parameters are set in order to conform to EU cookie law: - Anonymize IP = True - displayFeaturesTask = null",
            cookies["_gid (Google Analytics)"].Function);
    }

    [Fact]
    public async Task The_centers_own_cookies_are_declared_as_functional_with_the_configured_lifetime()
    {
        var functional = (await db.Get<CatalogueService>().GetCategoriesAsync()).Single(c => c.Key == "functional");

        var own = functional.Cookies.Where(c => c.Supplier == CenterCookies.Supplier).ToDictionary(c => c.Name);
        Assert.Equal("6 months", own[ConsentCookie.Name].Duration);
        Assert.Equal("Session", own[CenterCookies.Antiforgery].Duration);
    }

    [Fact]
    public async Task A_new_lifetime_setting_updates_the_declared_duration_of_the_consent_cookie()
    {
        await using var other = await TestDatabase.CreateAsync(new() { ["LifetimeMonths"] = "13" });

        var functional = (await other.Get<CatalogueService>().GetCategoriesAsync()).Single(c => c.Key == "functional");

        Assert.Equal("13 months", functional.Cookies.Single(c => c.Name == ConsentCookie.Name).Duration);
    }

    [Fact]
    public async Task Adding_a_valid_cookie_puts_it_in_its_category_and_creates_the_supplier()
    {
        var catalogue = db.Get<CatalogueService>();

        await catalogue.AddCookieAsync(new CookieInput
        {
            SupplierName = "Vimeo",
            Name = "vuid",
            CategoryKey = "social-media",
            Duration = "2 years",
            Function = "Remembers which videos the visitor watched.",
        }, Actor);

        var social = (await catalogue.GetCategoriesAsync()).Single(c => c.Key == "social-media");
        var added = Assert.Single(social.Cookies, c => c.Name == "vuid");
        Assert.Equal(("Vimeo", "2 years"), (added.Supplier, added.Duration));
    }

    [Fact]
    public async Task Adding_an_invalid_cookie_is_refused_and_changes_nothing()
    {
        var catalogue = db.Get<CatalogueService>();
        var before = (await catalogue.GetCategoriesAsync()).Sum(c => c.Cookies.Count);

        var error = await Assert.ThrowsAsync<ValidationException>(() => catalogue.AddCookieAsync(new CookieInput
        {
            SupplierName = "Gainsight",
            Name = "LOCALE",
            CategoryKey = "functional",
            Duration = "Session",
            Function = "Duplicate in another case.",
        }, Actor));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(CookieInput.Name) && e.ErrorMessage.Contains("already has a cookie named"));
        Assert.Equal(before, (await catalogue.GetCategoriesAsync()).Sum(c => c.Cookies.Count));
    }

    [Fact]
    public async Task Editing_a_cookie_keeps_its_own_name_allowed_and_changes_the_function()
    {
        var catalogue = db.Get<CatalogueService>();
        var locale = (await catalogue.GetCategoriesAsync()).SelectMany(c => c.Cookies).Single(c => c.Name == "Locale");

        await catalogue.UpdateCookieAsync(locale.Id, new CookieInput
        {
            SupplierName = "Gainsight",
            Name = "Locale",
            CategoryKey = "functional",
            Duration = "1 year",
            Function = "Remembers the visitor's language.",
        }, Actor);

        var edited = (await catalogue.GetCategoriesAsync()).SelectMany(c => c.Cookies).Single(c => c.Id == locale.Id);
        Assert.Equal(("1 year", "Remembers the visitor's language."), (edited.Duration, edited.Function));
    }

    [Fact]
    public async Task The_centers_own_cookies_cannot_be_edited()
    {
        var catalogue = db.Get<CatalogueService>();
        var consentCookie = (await catalogue.GetCategoriesAsync()).SelectMany(c => c.Cookies).Single(c => c.Name == ConsentCookie.Name);

        var error = await Assert.ThrowsAsync<ValidationException>(() => catalogue.UpdateCookieAsync(consentCookie.Id, new CookieInput
        {
            SupplierName = "Someone else",
            Name = "renamed",
            CategoryKey = "analytics",
            Duration = "1 day",
            Function = "Moved away.",
        }, Actor));

        Assert.Contains(error.Errors, e => e.ErrorMessage.Contains("one of the center's own cookies"));
        Assert.Contains(consentCookie, (await catalogue.GetCategoriesAsync()).Single(c => c.Key == "functional").Cookies);
    }

    [Fact]
    public async Task Adding_a_category_with_a_key_already_used_is_refused()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => db.Get<CatalogueService>().AddCategoryAsync(new CategoryInput
        {
            Key = "analytics",
            Name = "More analytics",
            Description = "Duplicate key.",
        }, Actor));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(CategoryInput.Key) && e.ErrorMessage.Contains("already has the key"));
    }
}
