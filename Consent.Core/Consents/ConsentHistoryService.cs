using Consent.Core.Persistence;
using Consent.Core.Snapshot;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Consents;

/// <summary>
/// A visitor's rights over their consent records without an account (docs/log.md, "Erasure"): the visitor id their signed cookie
/// proves gets their whole history (access and portability), or has every record unlinked from them, with an erasure record appended.
/// </summary>
public sealed class ConsentHistoryService(IDbContextFactory<ConsentDbContext> dbFactory, ConsentService consents, ConsentWriter writer, SnapshotService snapshots, TimeProvider time)
{
    /// <summary>Every record of the visitor, newest first, as they download it; empty for a malformed id.</summary>
    public async Task<IReadOnlyList<ConsentHistoryEntry>> GetHistoryAsync(string visitorId, CancellationToken ct = default)
    {
        var records = await consents.GetHistoryAsync(visitorId, ct);
        if (records.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = records.Select(r => r.PolicyVersion).Distinct().ToList();
        var hashes = await db.PolicyVersions.AsNoTracking().Where(p => versions.Contains(p.Number))
            .ToDictionaryAsync(p => p.Number, p => Convert.ToHexStringLower(p.ContentHash ?? []), ct);
        return records.Select(r => new ConsentHistoryEntry(r.Id, r.RecordedAt, r.ExpiresAt, r.PolicyVersion, hashes.GetValueOrDefault(r.PolicyVersion, ""),
                ConsentVocabulary.Name(r.Method), ConsentVocabulary.Name(r.Source), r.Language, r.BrowserFamily, r.Site,
                r.Decisions.Select(d => new ConsentHistoryDecision(d.CategoryKey, d.Granted)).ToList(), r.LogIndex))
            .ToList();
    }

    /// <summary>
    /// Unlinks every record of the visitor (their id and commitment salts set to NULL, the one update the database allows, so every
    /// leaf still verifies), then appends an erasure record in the visitor's <paramref name="language"/>: no visitor, the current
    /// policy version, every optional category refused. Repeated, it unlinks nothing and appends nothing.
    /// </summary>
    public async Task<ConsentErasure> EraseAsync(string visitorId, string language, string browserFamily, CancellationToken ct = default)
    {
        if (!ConsentCookie.IsVisitorId(visitorId)) return new ConsentErasure(0, null);
        var unlinked = await UnlinkAsync(r => r.VisitorId == visitorId, ct);
        if (unlinked == 0) return new ConsentErasure(0, null);

        var snapshot = await snapshots.GetAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        var record = new ConsentRecord
        {
            Id = Guid.CreateVersion7(now),
            VisitorId = null,
            PolicyVersion = snapshot.PolicyVersion,
            Method = ConsentMethod.Erasure,
            Source = ConsentSource.PreferenceCenter,
            RecordedAt = now,
            ExpiresAt = snapshot.Periods.ExpiresAt(now, refusesEverythingOptional: true),
            Language = language,
            BrowserFamily = browserFamily,
            Decisions = snapshot.Categories.Select(c => new ConsentDecision { CategoryKey = c.Key, Granted = c.IsRequired }).ToList(),
        };
        await writer.AppendAsync(record);
        return new ConsentErasure(unlinked, record.Id);
    }

    /// <summary>Sets the visitor id and salt of the matching records still linked to NULL, in one statement; returns how many changed.</summary>
    internal async Task<int> UnlinkAsync(System.Linq.Expressions.Expression<Func<ConsentRecord, bool>> which, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ConsentRecords.Where(which).Where(r => r.VisitorId != null).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.VisitorId, (string?)null)
            .SetProperty(r => r.VisitorSalt, (byte[]?)null), ct);
    }
}
