using Consent.Core.Audit;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consent.Core.Consents;

/// <summary>
/// Erases the personal part (visitor id and commitment salt) of every record recorded <see cref="ConsentOptions.RetentionYears"/>
/// years ago or more, as a visitor's erasure does: the records, their leaves and the rollups stay. In chunks of consecutive
/// records, each its own short statement, and only records still linked are changed, so instances running it at once share the work.
/// </summary>
public sealed partial class ConsentRetention(
    IDbContextFactory<ConsentDbContext> dbFactory, ConsentHistoryService history, IOptions<ConsentOptions> options, TimeProvider time,
    ILogger<ConsentRetention> log)
{
    /// <summary>Records unlinked per statement (more when several share the chunk's last time): one never holds the write lock long.</summary>
    public int ChunkSize { get; init; } = 1000;

    private static readonly ConsentSource[] Communication =
        Enum.GetValues<ConsentSource>().Where(ConsentVocabulary.IsCommunication).ToArray();

    /// <summary>Every record before this was erased by an earlier run of this instance: later runs start from it.</summary>
    private DateTime? erasedBefore;

    /// <summary>
    /// Erases what is past retention now; returns how many records were unlinked and the cutoff (a record recorded at or before it is past).
    /// A run that erased something is written to the audit trail (<c>retention.erase</c>) and logged with its count.
    /// </summary>
    public async Task<(int Erased, DateTime Cutoff)> EraseExpiredAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now.AddYears(-options.Value.RetentionYears);
        var from = erasedBefore;
        var erased = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // The chunk ends at the ChunkSize-th oldest record still linked, or at the cutoff when fewer are left.
            // A member's communication records are kept as long as the account (the members' retention erases them with it).
            var linked = db.ConsentRecords.AsNoTracking().Where(r => r.RecordedAt <= cutoff && r.VisitorId != null && !Communication.Contains(r.Source));
            if (from is { } since) linked = linked.Where(r => r.RecordedAt >= since);
            var last = await linked.OrderBy(r => r.RecordedAt).Skip(ChunkSize - 1).Select(r => (DateTime?)r.RecordedAt).FirstOrDefaultAsync(ct);
            var to = last ?? cutoff;
            erased += from is { } start
                ? await history.UnlinkAsync(r => r.RecordedAt >= start && r.RecordedAt <= to && !Communication.Contains(r.Source), ct)
                : await history.UnlinkAsync(r => r.RecordedAt <= to && !Communication.Contains(r.Source), ct);
            if (last is null) break;
            from = to;
        }
        erasedBefore = cutoff;

        if (erased > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            AuditTrail.Record(db, now, "system", "retention.erase", "ConsentLog", Log.LogLeaf.Time(cutoff), null,
                new { erased, cutoff = Log.LogLeaf.Time(cutoff), retentionYears = options.Value.RetentionYears });
            await db.SaveChangesAsync(ct);
            LogErased(log, erased, cutoff);
        }
        return (erased, cutoff);
    }

    [LoggerMessage(EventId = 2060, EventName = "RetentionErased", Level = LogLevel.Information,
        Message = "Retention erased the visitor ids of {Count} consent records recorded at or before {Cutoff:o}")]
    private static partial void LogErased(ILogger logger, int count, DateTime cutoff);
}
