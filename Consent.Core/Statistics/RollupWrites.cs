using Consent.Core.Consents;
using Consent.Core.Persistence;

namespace Consent.Core.Statistics;

/// <summary>
/// Adds to the rollups with one multi-row upsert per rollup table (<c>INSERT … ON CONFLICT … DO UPDATE SET Count = Count + excluded.Count</c>,
/// which SQLite and PostgreSQL both understand). Increments, never read-modify-write: two writers
/// (another instance, the banner counter) can add to the same row without losing either's count.
/// Callers run these inside their own transaction.
/// </summary>
public static class RollupWrites
{
    /// <summary>The UTC day a moment belongs to; every rollup and every filter uses this one rule.</summary>
    public static DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(utc);

    /// <summary>
    /// Adds a batch of records to the decision and category rollups, aggregated first so a batch costs one statement per table.
    /// Erasure records are left out: the center appends them, they are no visitor's choice and would count as refusals.
    /// So are a member's communication records: they are about e-mails, not cookies (the members' figures count them).
    /// </summary>
    public static async Task AddDecisionsAsync(ConsentDbContext db, IReadOnlyCollection<ConsentRecord> batch)
    {
        var records = batch.Where(r => r.Method != ConsentMethod.Erasure && !ConsentVocabulary.IsCommunication(r.Source)).ToList();
        if (records.Count == 0) return;
        // Rows are locked in key order, the same in every writer's transaction, so two instances never wait on each other in a circle.
        var decisionRows = records.GroupBy(r => (Day: DayOf(r.RecordedAt), r.PolicyVersion, r.Language, r.Method, r.Source))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.PolicyVersion).ThenBy(g => g.Key.Language, StringComparer.Ordinal).ThenBy(g => g.Key.Method).ThenBy(g => g.Key.Source)
            .Select(g => new DecisionRollup
            {
                Day = g.Key.Day,
                PolicyVersion = g.Key.PolicyVersion,
                Language = g.Key.Language,
                Method = g.Key.Method,
                Source = g.Key.Source,
                Count = g.Count(),
            })
            .ToList();
        await BatchStatements.AddToAsync(db, decisionRows);

        var decisions = records.SelectMany(r => r.Decisions.Select(d => (Day: DayOf(r.RecordedAt), r.PolicyVersion, r.Language, d.CategoryKey, d.Granted)));
        var categoryRows = decisions.GroupBy(d => (d.Day, d.PolicyVersion, d.Language, d.CategoryKey)).OrderBy(g => g.Key.Day)
            .ThenBy(g => g.Key.PolicyVersion).ThenBy(g => g.Key.Language, StringComparer.Ordinal).ThenBy(g => g.Key.CategoryKey, StringComparer.Ordinal)
            .Select(g => new CategoryRollup
            {
                Day = g.Key.Day,
                PolicyVersion = g.Key.PolicyVersion,
                Language = g.Key.Language,
                CategoryKey = g.Key.CategoryKey,
                Decisions = g.Count(),
                Granted = g.Count(d => d.Granted),
            })
            .ToList();
        await BatchStatements.AddToAsync(db, categoryRows);
    }

    /// <summary>Adds counted banner views.</summary>
    public static async Task AddBannerViewsAsync(ConsentDbContext db, IReadOnlyDictionary<BannerViewKey, long> views)
    {
        var rows = views.OrderBy(v => v.Key.Day).ThenBy(v => v.Key.PolicyVersion).ThenBy(v => v.Key.Language, StringComparer.Ordinal)
            .Select(v => new BannerViewRollup { Day = v.Key.Day, PolicyVersion = v.Key.PolicyVersion, Language = v.Key.Language, Count = v.Value })
            .ToList();
        await BatchStatements.AddToAsync(db, rows);
    }
}

/// <summary>What a banner view is counted by: nothing about the visitor but the language the banner was shown in.</summary>
public readonly record struct BannerViewKey(DateOnly Day, int PolicyVersion, string Language);
