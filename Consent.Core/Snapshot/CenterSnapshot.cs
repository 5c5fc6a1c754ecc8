using System.Collections.Concurrent;
using System.Globalization;
using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Consents;
using Consent.Core.Languages;
using Consent.Core.Policies;

namespace Consent.Core.Snapshot;

/// <summary>
/// Everything a visitor's page, the banner config and a choice's validation read, as it stood at one moment: the catalogue, the
/// current policy version and what the latest versions changed, the consent periods and the Consent Mode mapping. Immutable:
/// a change by the privacy team makes a new one (<see cref="SnapshotService"/>).
/// </summary>
public sealed class CenterSnapshot
{
    private readonly Dictionary<string, IReadOnlyList<CategoryView>> categoriesByLanguage;
    private readonly Dictionary<string, CategoryView> byKey;
    private readonly ConcurrentDictionary<string, string?> consentModeScripts = new(StringComparer.Ordinal);

    public CenterSnapshot(long generation, DateTimeOffset loadedAt, IReadOnlyList<CategoryView> categories, int policyVersion,
        DateTime policyPublishedAt, IReadOnlyList<PolicyChange> recentChanges, ConsentPeriods periods, GoogleConsentModeConfig consentMode)
    {
        Generation = generation;
        LoadedAt = loadedAt;
        Categories = categories;
        PolicyVersion = policyVersion;
        PolicyPublishedAt = policyPublishedAt;
        RecentChanges = recentChanges;
        Periods = periods;
        ConsentMode = consentMode;
        byKey = categories.ToDictionary(c => c.Key, StringComparer.Ordinal);
        RequiredKeys = [.. categories.Where(c => c.IsRequired).Select(c => c.Key)];
        OptionalKeys = [.. categories.Where(c => !c.IsRequired).Select(c => c.Key)];
        // Translated once per language here rather than on every page.
        categoriesByLanguage = VisitorLanguages.Supported.ToDictionary(
            l => l, l => VisitorLanguages.Translate(categories, CultureInfo.GetCultureInfo(l)), StringComparer.Ordinal);
    }

    /// <summary>Grows by one with every snapshot this instance makes: a cached page or config names the snapshot it was made from.</summary>
    public long Generation { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>The catalogue in the order visitors see it, as the team wrote it (English).</summary>
    public IReadOnlyList<CategoryView> Categories { get; }

    /// <summary>The newest published version: the one a visitor's decision must answer.</summary>
    public int PolicyVersion { get; }

    public DateTime PolicyPublishedAt { get; }

    /// <summary>SHA-256 of the current version's snapshot, which every record answering it names in its leaf.</summary>
    public byte[] PolicyContentHash { get; init; } = [];

    /// <summary>The newest versions, newest first, at most <see cref="PolicyService.MaxChangesShown"/>.</summary>
    public IReadOnlyList<PolicyChange> RecentChanges { get; }

    public ConsentPeriods Periods { get; }

    public GoogleConsentModeConfig ConsentMode { get; }

    public IReadOnlyList<string> RequiredKeys { get; }

    public IReadOnlyList<string> OptionalKeys { get; }

    /// <summary>The catalogue in a language the center has (its texts translated while they are the seeded English ones).</summary>
    public IReadOnlyList<CategoryView> CategoriesIn(string language) =>
        categoriesByLanguage.TryGetValue(language, out var shown) ? shown : Categories;

    public CategoryView? Category(string key) => byKey.GetValueOrDefault(key);

    /// <summary>What changed since a visitor answered <paramref name="answered"/>: the versions published after it, newest first.</summary>
    public IReadOnlyList<PolicyChange> ChangesSince(int answered) => [.. RecentChanges.Where(c => c.Number > answered)];

    /// <summary>
    /// The Google Consent Mode script of a page for this state (<see cref="GoogleConsentModeConfig.InlineScript"/>), made once per
    /// state: a visitor without a decision, or one granting these categories.
    /// </summary>
    public string? ConsentModeScript(CurrentConsent consent)
    {
        var key = consent.IsSettled ? "+" + string.Join(' ', consent.Granted) : "";
        if (consentModeScripts.TryGetValue(key, out var script)) return script;
        script = ConsentMode.InlineScript(consent);
        // The states are the catalogue's combinations; a few hundred is more than any catalogue has in use.
        if (consentModeScripts.Count < 512) consentModeScripts[key] = script;
        return script;
    }

    /// <summary>
    /// A refusal, for the re-ask interval: nothing but the required categories is granted (reject all, a withdrawal, or a custom
    /// choice that allows nothing). A catalogue without optional categories refuses nothing.
    /// </summary>
    public bool RefusesEverythingOptional(IEnumerable<string> granted)
    {
        if (OptionalKeys.Count == 0) return false;
        var set = granted as IReadOnlySet<string> ?? granted.ToHashSet(StringComparer.Ordinal);
        return !OptionalKeys.Any(set.Contains);
    }
}
