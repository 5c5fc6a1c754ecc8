using Consent.Core.Consents;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Catalogue;

/// <summary>
/// The cookies the center itself sets. Each is declared in the Functional category of the
/// catalogue on every start, so the cookie policy always lists them.
/// </summary>
public static class CenterCookies
{
    public const string Supplier = "This site (consent center)";
    public const string Antiforgery = "cc_antiforgery";
    public const string TeamSession = "cc_team";
    public const string MemberSession = "cc_member";

    /// <summary>
    /// The language a visitor chose with the switch on every visitor page. It holds a language code, the same
    /// for everyone who chose that language, so it identifies no one and may be set before the first consent choice.
    /// </summary>
    public const string Language = "cc_lang";

    /// <summary>How long the chosen language is remembered.</summary>
    public const int LanguageMonths = 12;

    public static IReadOnlyList<(string Name, CookieDuration Duration, string Function)> All(int consentLifetimeMonths) =>
    [
        (ConsentCookie.Name, CookieDuration.Of(consentLifetimeMonths, DurationUnit.Months),
            "Remembers your cookie choices: a random visitor id, the policy version you answered, the categories you allowed and when. " +
            "It is set only when you make a choice, and lets us show your choice in the preference center and prove it."),
        (Antiforgery, CookieDuration.Session,
            "Protects the site's signed-in forms against cross-site request forgery. The cookie banner does not need it."),
        (TeamSession, CookieDuration.Session,
            "Keeps a member of the privacy team signed in to the privacy-team center. It is set only by signing in there, never for visitors."),
        (MemberSession, CookieDuration.Session,
            "Keeps a community member signed in to their account. It is set only when a member signs in, and ends with the browser session."),
        (Language, CookieDuration.Of(LanguageMonths, DurationUnit.Months),
            "Remembers the language you chose with the language switch. It holds only the language code, the same for everyone " +
            "who chose that language, so it does not identify you. It is set only when you use the switch."),
    ];

    /// <summary>
    /// Adds the center's own cookies to the Functional category, and keeps their durations true to the
    /// settings: the consent cookie lives as long as the longer of the two consent periods. The caller saves,
    /// so that a settings change and its catalogue update are one transaction.
    /// </summary>
    internal static async Task DeclareAsync(ConsentDbContext db, int consentCookieMonths, CancellationToken ct)
    {
        var supplier = await db.Suppliers.Include(s => s.Cookies).SingleOrDefaultAsync(s => s.Name == Supplier, ct)
            ?? db.Suppliers.Add(new Supplier { Name = Supplier }).Entity;
        var requiredCategoryId = await db.Categories.Where(c => c.IsRequired).OrderBy(c => c.Order).Select(c => c.Id).FirstAsync(ct);
        foreach (var (name, duration, function) in All(consentCookieMonths))
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
