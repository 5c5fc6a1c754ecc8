using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Consent.App.Api;

/// <summary>
/// The embedded script's texts (ScriptTexts.resx, English, and one ScriptTexts.&lt;lang&gt;.resx per other language).
/// The script holds no text of its own: <c>GET /api/v1/config</c> sends these in the visitor's language, so a
/// language is added by adding a resource file. To be folded into the visitor texts of the Languages part.
/// </summary>
public static class ScriptTexts
{
    /// <summary>The language of the neutral resource file, answered when nothing better matches.</summary>
    public const string DefaultLanguage = "en";

    private static readonly ResourceManager Resources = new("Consent.App.Api.ScriptTexts", typeof(ScriptTexts).Assembly);

    /// <summary>The languages the texts exist in: the default, then those with a satellite resource file beside the app.</summary>
    public static IReadOnlyList<string> Languages { get; } = DiscoverLanguages();

    /// <summary>
    /// The language to answer in: <paramref name="requested"/> (the API's <c>?lang=</c>), then the visitor's language
    /// cookie, then the browser's Accept-Language by preference, each matched by its primary subtag ("fr-CA" → "fr");
    /// English when none is available.
    /// </summary>
    public static string Negotiate(string? requested, string? languageCookie, string? acceptLanguage)
    {
        foreach (var candidate in new[] { requested, languageCookie })
        {
            if (Match(candidate) is { } language) return language;
        }
        if (StringWithQualityHeaderValue.TryParseList(acceptLanguage?.Split(','), out var preferences))
        {
            foreach (var preference in preferences.Where(p => (p.Quality ?? 1) > 0).OrderByDescending(p => p.Quality ?? 1))
            {
                if (Match(preference.Value.Value) is { } language) return language;
            }
        }
        return DefaultLanguage;
    }

    /// <summary>Every text in <paramref name="language"/>, keyed in camelCase as the script reads them.</summary>
    public static Dictionary<string, string> All(string language)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        var keys = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().Select(e => (string)e.Key);
        return keys.ToDictionary(JsonNamingPolicy.CamelCase.ConvertName, key => Get(key, culture));
    }

    public static string Get(string key, CultureInfo culture) =>
        Resources.GetString(key, culture) ?? throw new InvalidOperationException($"ScriptTexts has no text \"{key}\".");

    private static string? Match(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var primary = tag.Trim().Split('-', '_')[0].ToLowerInvariant();
        return Languages.Contains(primary) ? primary : null;
    }

    private static List<string> DiscoverLanguages()
    {
        var satellite = typeof(ScriptTexts).Assembly.GetName().Name + ".resources.dll";
        var found = Directory.EnumerateDirectories(AppContext.BaseDirectory)
            .Select(Path.GetFileName)
            .Where(name => name is { Length: 2 or 3 } && File.Exists(Path.Combine(AppContext.BaseDirectory, name, satellite)))
            .Select(name => CultureInfo.GetCultureInfo(name!))
            .Where(culture => Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is not null)
            .Select(culture => culture.Name)
            .Order(StringComparer.Ordinal);
        return [DefaultLanguage, .. found.Where(name => name != DefaultLanguage)];
    }
}
