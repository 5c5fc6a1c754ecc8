using Consent.Core.ConsentMode;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Catalogue;

/// <summary>The catalogue's start-up step: an empty database gets the seed policy's catalogue.</summary>
public static class CatalogueSeed
{
    /// <summary>Adds the seed catalogue when there is no category yet; the caller saves.</summary>
    internal static async Task EnsureAsync(ConsentDbContext db, CancellationToken ct)
    {
        if (!await db.Categories.AnyAsync(ct)) Seed(db);
    }

    /// <summary>The seed categories' Google Consent Mode types, by key.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ConsentModeTypes = new Dictionary<string, IReadOnlyList<string>>
    {
        [Category.FunctionalKey] = [GoogleConsentTypes.FunctionalityStorage, GoogleConsentTypes.SecurityStorage],
        ["analytics"] = [GoogleConsentTypes.AnalyticsStorage],
        ["social-media"] = [GoogleConsentTypes.AdStorage, GoogleConsentTypes.AdUserData, GoogleConsentTypes.AdPersonalization, GoogleConsentTypes.PersonalizationStorage],
    };

    /// <summary>The catalogue of the seed policy (shared/seed): three categories and the four Gainsight cookies, verbatim.</summary>
    private static void Seed(ConsentDbContext db)
    {
        var functional = new Category
        {
            Key = Category.FunctionalKey,
            Name = "Functional",
            IsRequired = true,
            Order = 0,
            Description = "These cookies are strictly necessary to ensure access and optimal use of the services provided. These cookies are placed automatically on your browser.",
            GoogleConsentTypes = [.. ConsentModeTypes[Category.FunctionalKey]],
        };
        var analytics = new Category
        {
            Key = "analytics",
            Name = "Analytics",
            Order = 1,
            Description = "These cookies are used to analyze how users use the site and understand their browsing behavior in a non-personalized way, in particular to provide audience measurement information.",
            GoogleConsentTypes = [.. ConsentModeTypes["analytics"]],
        };
        var social = new Category
        {
            Key = "social-media",
            Name = "Social media + embedded videos",
            Order = 2,
            Description = "These cookies are used to help us get to know you better so that we can provide you with a personalized experience.",
            GoogleConsentTypes = [.. ConsentModeTypes["social-media"]],
        };
        var gainsight = new Supplier { Name = "Gainsight" };
        db.AddRange(
            new CookieDefinition
            {
                Supplier = gainsight,
                Category = functional,
                Name = "Locale",
                Duration = CookieDuration.Parse("5 years")!,
                Function = "The cookie determines the preferred language and country-setting of the visitor - This allows the website to show content most relevant to that region and language.",
            },
            new CookieDefinition
            {
                Supplier = gainsight,
                Category = functional,
                Name = "anon:new_visit",
                Duration = CookieDuration.Parse("30 Minutes")!,
                Function = "Used to see if it’s a first-time visit of a user to the platform - If so, then show the cookie banner and any other first-time displays.",
            },
            new CookieDefinition
            {
                Supplier = gainsight,
                Category = analytics,
                Name = "_gid (Google Analytics)",
                Duration = CookieDuration.Parse("24 hours")!,
                Function = "Track anonymously the visit of the user. These two anonymity parameters are set in order to conform to EU cookie law: - Anonymize IP = True - displayFeaturesTask = null",
            },
            new CookieDefinition
            {
                Supplier = gainsight,
                Category = social,
                Name = "insights-store",
                Duration = CookieDuration.Persistent,
                Function = "This cookie is used to determine which products the visitor has viewed - This allows the website to promote related products.",
            });
    }
}
