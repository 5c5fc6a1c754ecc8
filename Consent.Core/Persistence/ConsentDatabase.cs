using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Consents;
using Consent.Core.Policies;
using Consent.Core.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Consent.Core.Persistence;

/// <summary>Creates, migrates and seeds the database on start.</summary>
public static class ConsentDatabase
{
    public static async Task InitializeAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<ConsentDbContext>>();
        var options = services.GetRequiredService<IOptions<ConsentOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.MigrateAsync(ct);
        if (!await db.Categories.AnyAsync(ct))
        {
            SeedCatalogue(db);
        }
        if (!await db.PolicyVersions.AnyAsync(ct))
        {
            db.PolicyVersions.Add(new PolicyVersion
            {
                Number = 1,
                PublishedAt = time.GetUtcNow().UtcDateTime,
                Summary = "First published version of the cookie policy.",
            });
        }
        if (!await db.ConsentSettings.AnyAsync(ct))
        {
            // Configuration gives the first values; from then on Admins change them at /admin/settings.
            db.ConsentSettings.Add(new ConsentSettings
            {
                LifetimeMonths = options.LifetimeMonths,
                RefusalLifetimeMonths = options.RefusalLifetimeMonths,
                UpdatedAt = time.GetUtcNow().UtcDateTime,
            });
        }
        await db.SaveChangesAsync(ct);
        var settings = await db.ConsentSettings.AsNoTracking().SingleAsync(ct);
        await DeclareCenterCookiesAsync(db, new ConsentPeriods(settings.LifetimeMonths, settings.RefusalLifetimeMonths).MaxMonths, ct);
        await db.SaveChangesAsync(ct);
        // After the catalogue is complete (the center's own cookies included): version 1 shows it as visitors see it.
        await PolicyService.FillMissingSnapshotsAsync(db, ct);
        await ConsentCookie.EnsureKeyAsync(db, time.GetUtcNow().UtcDateTime, ct);
        await RollupWrites.BackfillAsync(db, ct);
    }

    /// <summary>
    /// The seed categories' Google Consent Mode types, by key. The migration that introduced the mapping
    /// (ConsentModeMapping) gives existing databases the same values for the same keys.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> SeedGoogleConsentTypes = new Dictionary<string, IReadOnlyList<string>>
    {
        [Category.FunctionalKey] = [GoogleConsentTypes.FunctionalityStorage, GoogleConsentTypes.SecurityStorage],
        ["analytics"] = [GoogleConsentTypes.AnalyticsStorage],
        ["social-media"] = [GoogleConsentTypes.AdStorage, GoogleConsentTypes.AdUserData, GoogleConsentTypes.AdPersonalization, GoogleConsentTypes.PersonalizationStorage],
    };

    /// <summary>The catalogue of the seed policy (shared/seed): three categories and the four Gainsight cookies, verbatim.</summary>
    private static void SeedCatalogue(ConsentDbContext db)
    {
        var functional = new Category
        {
            Key = Category.FunctionalKey,
            Name = "Functional",
            IsRequired = true,
            Order = 0,
            Description = "These cookies are strictly necessary to ensure access and optimal use of the services provided. These cookies are placed automatically on your browser.",
            GoogleConsentTypes = [.. SeedGoogleConsentTypes[Category.FunctionalKey]],
        };
        var analytics = new Category
        {
            Key = "analytics",
            Name = "Analytics",
            Order = 1,
            Description = "These cookies are used to analyze how users use the site and understand their browsing behavior in a non-personalized way, in particular to provide audience measurement information.",
            GoogleConsentTypes = [.. SeedGoogleConsentTypes["analytics"]],
        };
        var social = new Category
        {
            Key = "social-media",
            Name = "Social media + embedded videos",
            Order = 2,
            Description = "These cookies are used to help us get to know you better so that we can provide you with a personalized experience.",
            GoogleConsentTypes = [.. SeedGoogleConsentTypes["social-media"]],
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

    /// <summary>
    /// Adds the center's own cookies to the Functional category, and keeps their durations true to the
    /// settings: the consent cookie lives as long as the longer of the two consent periods. The caller saves,
    /// so that a settings change and its catalogue update are one transaction.
    /// </summary>
    internal static async Task DeclareCenterCookiesAsync(ConsentDbContext db, int consentCookieMonths, CancellationToken ct)
    {
        var supplier = await db.Suppliers.Include(s => s.Cookies).SingleOrDefaultAsync(s => s.Name == CenterCookies.Supplier, ct)
            ?? db.Suppliers.Add(new Supplier { Name = CenterCookies.Supplier }).Entity;
        var requiredCategoryId = await db.Categories.Where(c => c.IsRequired).OrderBy(c => c.Order).Select(c => c.Id).FirstAsync(ct);
        foreach (var (name, duration, function) in CenterCookies.All(consentCookieMonths))
        {
            var cookie = supplier.Cookies.SingleOrDefault(c => c.Name == name);
            if (cookie is null)
            {
                supplier.Cookies.Add(new CookieDefinition { Name = name, Duration = duration, Function = function, CategoryId = requiredCategoryId });
            }
            else if (cookie.Duration != duration)
            {
                cookie.Duration = duration;
            }
        }
    }
}
