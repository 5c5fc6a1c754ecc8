using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Statistics;

/// <summary>
/// The dashboard's figures, read only from the rollups (never from the consent log), so a period
/// costs the same whether the log holds a thousand records or tens of millions.
/// </summary>
public sealed class StatisticsService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    IValidator<StatisticsFilter> validator,
    BannerViewCounter bannerViews,
    TimeProvider time)
{
    /// <summary>
    /// The figures for a CSV export, written to the audit trail first, as an export of the consent log is: who took a
    /// copy of the figures, and of which filter, is known.
    /// </summary>
    public async Task<StatisticsReport> ExportAsync(StatisticsFilter filter, string actor, CancellationToken ct = default)
    {
        await validator.ValidateAndThrowAsync(filter, ct);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, actor, "statistics.export", "Statistics", $"{filter.From:yyyy-MM-dd}..{filter.To:yyyy-MM-dd}",
                null, new { from = filter.From, to = filter.To, version = filter.PolicyVersion, language = filter.Language });
            await db.SaveChangesAsync(ct);
        }
        return await GetReportAsync(filter, ct);
    }

    public async Task<StatisticsReport> GetReportAsync(StatisticsFilter filter, CancellationToken ct = default)
    {
        await validator.ValidateAndThrowAsync(filter, ct);
        // Views counted in memory are stored first, so the figures include the page views up to now.
        await bannerViews.FlushAsync(ct, announce: false);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decisions = await Filtered(db.DecisionRollups, filter)
            .GroupBy(r => new { r.Day, r.Method, r.Source })
            .Select(g => new DecisionRow(g.Key.Day, g.Key.Method, g.Key.Source, g.Sum(r => r.Count)))
            .ToListAsync(ct);
        var answers = await Filtered(db.CategoryRollups, filter)
            .GroupBy(r => new { r.Day, r.CategoryKey })
            .Select(g => new CategoryRow(g.Key.Day, g.Key.CategoryKey, g.Sum(r => r.Decisions), g.Sum(r => r.Granted)))
            .ToListAsync(ct);
        var views = await Filtered(db.BannerViewRollups, filter)
            .GroupBy(r => r.Day)
            .Select(g => new ViewRow(g.Key, g.Sum(r => r.Count)))
            .ToListAsync(ct);
        var catalogue = await db.Categories.AsNoTracking()
            .OrderBy(c => c.Order).ThenBy(c => c.Name)
            .Select(c => new { c.Key, c.Name, c.IsRequired })
            .ToListAsync(ct);

        // Optional categories of the catalogue in its order, then any answered in the period that has since been removed.
        // Required ones are left out: always granted, their rate says nothing.
        var names = catalogue.ToDictionary(c => c.Key, c => c.Name);
        var optional = catalogue.Where(c => !c.IsRequired).Select(c => c.Key)
            .Concat(answers.Select(c => c.CategoryKey).Where(k => !names.ContainsKey(k)).Distinct().Order(StringComparer.Ordinal))
            .ToList();

        ConsentFigures Figures(IEnumerable<DecisionRow> decided, IEnumerable<ViewRow> shown, IEnumerable<CategoryRow> answered)
        {
            var byMethod = decided.GroupBy(d => d.Method).ToDictionary(g => g.Key, g => g.Sum(d => d.Count));
            var byCategory = answered.GroupBy(a => a.CategoryKey)
                .ToDictionary(g => g.Key, g => (Decisions: g.Sum(a => a.Decisions), Granted: g.Sum(a => a.Granted)));
            return new ConsentFigures(
                BannerShown: shown.Sum(v => v.Count),
                AcceptAll: byMethod.GetValueOrDefault(ConsentMethod.AcceptAll),
                RejectAll: byMethod.GetValueOrDefault(ConsentMethod.RejectAll),
                Custom: byMethod.GetValueOrDefault(ConsentMethod.Custom),
                Withdrawals: byMethod.GetValueOrDefault(ConsentMethod.Withdrawal),
                BannerDecisions: decided.Where(d => d.Source == ConsentSource.Banner).Sum(d => d.Count),
                Categories: optional.Select(key =>
                {
                    var (answeredCount, granted) = byCategory.GetValueOrDefault(key);
                    return new CategoryOptIn(key, names.GetValueOrDefault(key, key), granted, answeredCount);
                }).ToList());
        }

        var decisionsByDay = decisions.ToLookup(d => d.Day);
        var viewsByDay = views.ToLookup(v => v.Day);
        var answersByDay = answers.ToLookup(a => a.Day);
        return new StatisticsReport(
            filter,
            Figures(decisions, views, answers),
            filter.Days().Select(day => new DailyFigures(day, Figures(decisionsByDay[day], viewsByDay[day], answersByDay[day]))).ToList());
    }

    /// <summary>The values the filters offer: every published policy version, and every language seen or offered.</summary>
    public async Task<StatisticsChoices> GetChoicesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.PolicyVersions.OrderByDescending(p => p.Number).Select(p => p.Number).ToListAsync(ct);
        var languages = await db.DecisionRollups.Select(r => r.Language)
            .Union(db.BannerViewRollups.Select(r => r.Language))
            .ToListAsync(ct);
        return new StatisticsChoices(versions, languages.Union(VisitorContext.SupportedLanguages).Order(StringComparer.Ordinal).ToList());
    }

    private static IQueryable<T> Filtered<T>(IQueryable<T> rollups, StatisticsFilter filter) where T : class, IRollupKey
    {
        var query = rollups.Where(r => r.Day >= filter.From && r.Day <= filter.To);
        if (filter.PolicyVersion is { } version) query = query.Where(r => r.PolicyVersion == version);
        if (filter.Language is { } language) query = query.Where(r => r.Language == language);
        return query;
    }

    private sealed record DecisionRow(DateOnly Day, ConsentMethod Method, ConsentSource Source, long Count);

    private sealed record CategoryRow(DateOnly Day, string CategoryKey, long Decisions, long Granted);

    private sealed record ViewRow(DateOnly Day, long Count);
}
