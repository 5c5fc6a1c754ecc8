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

    /// <summary>Every text the script shows, in <paramref name="language"/>, with the banner's introduction made for these categories.</summary>
    public static Dictionary<string, string> All(string language, IReadOnlyList<CategoryView> categories)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        var texts = Keys.ToDictionary(k => k.Key, k => Get(k.Value, culture));
        texts["intro"] = string.Join(" ",
            string.Format(culture, Get("Banner.Required", culture), VisitorLanguages.JoinList([.. categories.Where(c => c.IsRequired).Select(c => c.Name)], culture)),
            Get("Banner.Optional", culture),
            VisitorLanguages.JoinList([.. categories.Where(c => !c.IsRequired).Select(c => c.Name)], culture) + ".",
            Get("Script.Choice", culture));
        return texts;
    }

    private static string Get(string key, CultureInfo culture) =>
        VisitorTexts.Resources.GetString(key, culture) ?? throw new InvalidOperationException($"VisitorTexts has no text \"{key}\".");
}
