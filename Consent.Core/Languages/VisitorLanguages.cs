using System.Globalization;
using System.Resources;
using Consent.Core.Catalogue;

namespace Consent.Core.Languages;

/// <summary>
/// The languages visitors can read the center in, and which one a visitor is shown. The list is
/// discovered from the resource files present (<c>VisitorTexts.&lt;code&gt;.resx</c> compiles into a
/// satellite assembly in a folder named by its code), so adding a language is adding one file.
/// </summary>
public static class VisitorLanguages
{
    /// <summary>English: the language of <c>VisitorTexts.resx</c>, of the catalogue as the team writes it, and the fallback.</summary>
    public const string Default = "en";

    /// <summary>Every language with visitor texts, English first, then the others by code.</summary>
    public static IReadOnlyList<string> Supported { get; } = Discover();

    /// <summary>The supported language of that code (any case, "fr" or "fr-FR" for "fr"), or null when the center has none.</summary>
    public static string? Find(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var exact = Supported.FirstOrDefault(l => l.Equals(code.Trim(), StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        var primary = code.Trim().Split('-', 2)[0];
        return Supported.FirstOrDefault(l => l.Equals(primary, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The first language of an <c>Accept-Language</c> header (by q-value) that the center has, or null.</summary>
    public static string? FromAcceptLanguage(string? acceptLanguage) =>
        (acceptLanguage ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(entry => entry.Split(';', StringSplitOptions.TrimEntries))
            .Select(parts => (
                Tag: parts[0],
                Quality: parts.Skip(1).Where(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
                    .Select(p => double.TryParse(p[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : 0)
                    .DefaultIfEmpty(1).First()))
            .Where(l => l.Quality > 0)
            .OrderByDescending(l => l.Quality) // stable: equal q-values keep the browser's order
            .Select(l => Find(l.Tag))
            .FirstOrDefault(l => l is not null);

    /// <summary>
    /// The supported language texts are read in under <paramref name="culture"/>: the culture or its nearest parent
    /// that has a resource file, else English (what the resource manager itself falls back to).
    /// </summary>
    public static string Of(CultureInfo culture)
    {
        for (var c = culture; !string.IsNullOrEmpty(c.Name); c = c.Parent)
        {
            if (Supported.FirstOrDefault(l => l.Equals(c.Name, StringComparison.OrdinalIgnoreCase)) is { } language) return language;
        }
        return Default;
    }

    /// <summary>The name of a language written in that language ("English", "Français"): the switch shows each language so.</summary>
    public static string NativeName(string language) =>
        VisitorTexts.Resources.GetString("Language.Name", CultureInfo.GetCultureInfo(language)) ?? language;

    /// <summary>"A, B and C" in <paramref name="culture"/>'s words ("A, B et C"): lists inside the visitor texts' sentences.</summary>
    public static string JoinList(IReadOnlyList<string> items, CultureInfo culture) =>
        items.Count <= 1 ? string.Concat(items)
            : $"{string.Join(", ", items.Take(items.Count - 1))} {VisitorTexts.Resources.GetString("List.And", culture)} {items[^1]}";

    /// <summary>
    /// The catalogue as a visitor reading <paramref name="culture"/> sees it. The team writes the catalogue in English;
    /// a category's name and description, a cookie's function and a supplier's name are translated through the keys
    /// <c>Category.&lt;key&gt;.Name</c>, <c>Category.&lt;key&gt;.Description</c>, <c>Cookie.&lt;name&gt;.Function</c> and
    /// <c>Supplier.&lt;name&gt;.Name</c>, but only while the catalogue still says what the English resource says: once the
    /// team has edited a text, its translation is stale and would misinform, so the text is shown as written.
    /// Durations are structured, so they are always written in the visitor's language (in English, as the team wrote them).
    /// </summary>
    public static IReadOnlyList<CategoryView> Translate(IReadOnlyList<CategoryView> categories, CultureInfo culture)
    {
        if (Of(culture) == Default) return categories;
        return categories.Select(c => c with
        {
            Name = Text($"Category.{c.Key}.Name", c.Name, culture),
            Description = Text($"Category.{c.Key}.Description", c.Description, culture),
            Cookies = c.Cookies.Select(k => k with
            {
                Supplier = Text($"Supplier.{k.Supplier}.Name", k.Supplier, culture),
                Duration = Duration(k.Duration, culture),
                Function = Text($"Cookie.{k.Name}.Function", k.Function, culture),
            }).ToList(),
        }).ToList();
    }

    /// <summary>
    /// A category named as a policy version named it (in "What changed"), in the visitor's language: translated when
    /// the name is the English text of a seeded category, as written otherwise.
    /// </summary>
    public static string CategoryName(string name, CultureInfo culture)
    {
        if (Of(culture) == Default) return name;
        var english = VisitorTexts.Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true);
        var key = english?.Cast<System.Collections.DictionaryEntry>()
            .Where(e => e.Key is string k && k.StartsWith("Category.", StringComparison.Ordinal) && k.EndsWith(".Name", StringComparison.Ordinal))
            .Where(e => Equals(e.Value, name))
            .Select(e => (string)e.Key)
            .FirstOrDefault();
        return key is null ? name : Text(key, name, culture);
    }

    /// <summary>A catalogue text in <paramref name="culture"/> while it still equals the English resource value; otherwise as written.</summary>
    private static string Text(string key, string written, CultureInfo culture)
    {
        var english = VisitorTexts.Resources.GetString(key, CultureInfo.InvariantCulture);
        if (english is null || !string.Equals(english, written, StringComparison.Ordinal)) return written;
        return VisitorTexts.Resources.GetString(key, culture) ?? written;
    }

    /// <summary>"5 years" as "5 ans": from the structure, with the units of <c>Duration.&lt;Unit&gt;.One</c>/<c>.Other</c>.</summary>
    private static string Duration(string written, CultureInfo culture)
    {
        var duration = CookieDuration.Parse(written);
        if (duration is null) return written;
        var key = duration.Kind switch
        {
            DurationKind.Session => "Duration.Session",
            DurationKind.Persistent => "Duration.Persistent",
            _ => $"Duration.{duration.Unit}.{(duration.Amount == 1 ? "One" : "Other")}",
        };
        var format = VisitorTexts.Resources.GetString(key, culture);
        return format is null ? written : string.Format(culture, format, duration.Amount);
    }

    private static List<string> Discover()
    {
        // A satellite assembly sits in a folder named by its culture beside the main assembly. Each folder found is
        // confirmed through the resource manager, so a stray folder of some other library's resources does not count.
        var assembly = typeof(VisitorTexts).Assembly;
        var folder = Path.GetDirectoryName(assembly.Location) is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;
        var satellite = assembly.GetName().Name + ".resources.dll";
        var others = Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder)
                .Where(d => File.Exists(Path.Combine(d, satellite)))
                .Select(d => Path.GetFileName(d))
                .Select(TryCulture)
                .OfType<CultureInfo>()
                .Where(c => c.Name != Default && VisitorTexts.Resources.GetResourceSet(c, createIfNotExists: true, tryParents: false) is not null)
                .Select(c => c.Name)
                .Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        return [Default, .. others];
    }

    private static CultureInfo? TryCulture(string name)
    {
        try
        {
            return CultureInfo.GetCultureInfo(name, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }
}
