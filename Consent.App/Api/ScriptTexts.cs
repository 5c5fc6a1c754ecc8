using System.Globalization;
using Consent.Core.Catalogue;
using Consent.Core.Languages;

namespace Consent.App.Api;

/// <summary>
/// The embedded script's texts, taken from the visitor texts (<c>VisitorTexts.&lt;code&gt;.resx</c>) that the
/// center's own banner reads, so one resource file per language serves both and the two banners say the same.
/// The script holds no text of its own: <c>GET /api/v1/config</c> sends these, keyed as the script reads them.
/// </summary>
public static class ScriptTexts
{
    /// <summary>The script's key → the visitor-text key it shows. The <c>Script.*</c> keys are worded for another site's page.</summary>
    private static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["regionLabel"] = "Script.RegionLabel",
        ["title"] = "Banner.Title",
        ["acceptAll"] = "Action.AcceptAll",
        ["rejectAll"] = "Action.RejectAll",
        ["customize"] = "Action.Customize",
        ["customizeTitle"] = "Banner.CustomizeLegend",
        ["alwaysOn"] = "Category.AlwaysOn",
        ["save"] = "Action.SaveChoices",
        ["close"] = "Script.Close",
        ["cookiesIn"] = "Banner.CookiesInCategory",
        ["supplier"] = "CookieTable.Supplier",
        ["cookieName"] = "CookieTable.CookieName",
        ["duration"] = "CookieTable.Duration",
        ["function"] = "CookieTable.Function",
        ["policyChanged"] = "Script.PolicyChanged",
        ["whatChanged"] = "Banner.WhatChanged",
        ["policyLink"] = "Banner.PolicyLink",
        ["saved"] = "Script.Saved",
        ["failed"] = "Script.Failed",
    };

    /// <summary>
    /// The language to answer in: <paramref name="requested"/> (the API's <c>?lang=</c>) when the center has it, else the
    /// language a page of the center would be shown in (the <c>cc_lang</c> cookie, then Accept-Language, then English).
    /// </summary>
    public static string Negotiate(string? requested, string? languageCookie, string? acceptLanguage) =>
        VisitorLanguages.Find(requested) ?? VisitorLanguages.Negotiate(languageCookie, acceptLanguage);

    /// <summary>Every text the script shows, in <paramref name="language"/>, with the banner's introduction made for these categories.</summary>
    public static Dictionary<string, string> All(string language, IReadOnlyList<CategoryView> categories)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        var texts = Keys.ToDictionary(k => k.Key, k => Get(k.Value, culture));
        var and = Get("List.And", culture);
        texts["intro"] = string.Join(" ",
            string.Format(culture, Get("Banner.Required", culture), Join(categories.Where(c => c.IsRequired).Select(c => c.Name).ToList(), and)),
            Get("Banner.Optional", culture),
            Join(categories.Where(c => !c.IsRequired).Select(c => c.Name).ToList(), and) + ".",
            Get("Script.Choice", culture));
        return texts;
    }

    private static string Get(string key, CultureInfo culture) =>
        VisitorTexts.Resources.GetString(key, culture) ?? throw new InvalidOperationException($"VisitorTexts has no text \"{key}\".");

    private static string Join(IReadOnlyList<string> names, string and) =>
        names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " " + and + " " + names[^1];
}
