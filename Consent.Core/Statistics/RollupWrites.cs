using Consent.Core.Consents;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Statistics;

/// <summary>
/// Adds to the rollups with one upsert per key (<c>INSERT … ON CONFLICT … DO UPDATE SET Count = Count + excluded.Count</c>,
/// which SQLite and PostgreSQL both understand). Increments, never read-modify-write: two writers
/// (another instance, the banner counter) can add to the same row without losing either's count.
/// Callers run these inside their own transaction.
/// </summary>
public static class RollupWrites
{
    /// <summary>The UTC day a moment belongs to; every rollup and every filter uses this one rule.</summary>
    public static DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(utc);

    /// <summary>Adds a batch of records to the decision and category rollups, aggregated first so a batch costs a few statements.</summary>
    public static async Task AddDecisionsAsync(ConsentDbContext db, IReadOnlyCollection<ConsentRecord> records)
    {
        // Rows are locked in key order, the same in every writer's transaction, so two instances never wait on each other in a circle.
        foreach (var g in records.GroupBy(r => (Day: DayOf(r.RecordedAt), r.PolicyVersion, r.Language, r.Method, r.Source))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.PolicyVersion).ThenBy(g => g.Key.Language, StringComparer.Ordinal).ThenBy(g => g.Key.Method).ThenBy(g => g.Key.Source))
        {
            var (day, version, language, method, source) = g.Key;
            long count = g.Count();
            // Stored as numbers, like the records' own Method and Source columns.
            var methodNumber = (int)method;
            var sourceNumber = (int)source;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "DecisionRollups" ("Day", "PolicyVersion", "Language", "Method", "Source", "Count")
                VALUES ({day}, {version}, {language}, {methodNumber}, {sourceNumber}, {count})
                ON CONFLICT ("Day", "PolicyVersion", "Language", "Method", "Source")
                DO UPDATE SET "Count" = "DecisionRollups"."Count" + excluded."Count"
                """, CancellationToken.None);
        }

        var decisions = records.SelectMany(r => r.Decisions.Select(d => (Day: DayOf(r.RecordedAt), r.PolicyVersion, r.Language, d.CategoryKey, d.Granted)));
        foreach (var g in decisions.GroupBy(d => (d.Day, d.PolicyVersion, d.Language, d.CategoryKey)).OrderBy(g => g.Key.Day)
            .ThenBy(g => g.Key.PolicyVersion).ThenBy(g => g.Key.Language, StringComparer.Ordinal).ThenBy(g => g.Key.CategoryKey, StringComparer.Ordinal))
        {
            var (day, version, language, category) = g.Key;
            long answered = g.Count();
            long granted = g.Count(d => d.Granted);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "CategoryRollups" ("Day", "PolicyVersion", "Language", "CategoryKey", "Decisions", "Granted")
                VALUES ({day}, {version}, {language}, {category}, {answered}, {granted})
                ON CONFLICT ("Day", "PolicyVersion", "Language", "CategoryKey")
                DO UPDATE SET "Decisions" = "CategoryRollups"."Decisions" + excluded."Decisions",
                              "Granted" = "CategoryRollups"."Granted" + excluded."Granted"
                """, CancellationToken.None);
        }
    }

    /// <summary>Adds counted banner views.</summary>
    public static async Task AddBannerViewsAsync(ConsentDbContext db, IReadOnlyDictionary<BannerViewKey, long> views)
    {
        foreach (var ((day, version, language), count) in views.OrderBy(v => v.Key.Day).ThenBy(v => v.Key.PolicyVersion).ThenBy(v => v.Key.Language, StringComparer.Ordinal))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "BannerViewRollups" ("Day", "PolicyVersion", "Language", "Count")
                VALUES ({day}, {version}, {language}, {count})
                ON CONFLICT ("Day", "PolicyVersion", "Language")
                DO UPDATE SET "Count" = "BannerViewRollups"."Count" + excluded."Count"
                """, CancellationToken.None);
        }
    }
}

/// <summary>What a banner view is counted by: nothing about the visitor but the language the banner was shown in.</summary>
public readonly record struct BannerViewKey(DateOnly Day, int PolicyVersion, string Language);
