using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Log;

/// <summary>
/// The log's start-up step: the head's row is there (a database emptied behind the center's back lost it), and records stored before
/// the log existed get their leaves, oldest first, once. A new database has none.
/// </summary>
public static class LogBackfill
{
    private const int Chunk = 1000;

    /// <summary>Returns how many records it gave a leaf.</summary>
    internal static async Task<int> EnsureAsync(ConsentDbContext db, DateTime now, CancellationToken ct)
    {
        if (!await db.LogHead.AnyAsync(ct))
        {
            if (await db.ConsentRecords.AnyAsync(r => r.LogIndex != null, ct))
            {
                throw new InvalidDataException("The log's head row is missing while records have leaves: the database was tampered with; run verify-log.");
            }
            db.LogHead.Add(new LogHead { UpdatedAt = now });
            await db.SaveChangesAsync(ct);
        }
        var done = 0;
        while (true)
        {
            var records = await db.ConsentRecords.AsNoTracking().Where(r => r.LogIndex == null)
                .OrderBy(r => r.RecordedAt).ThenBy(r => r.Id).Take(Chunk).ToListAsync(ct);
            if (records.Count == 0) return done;
            var hashes = await db.PolicyVersions.AsNoTracking().Select(p => new { p.Number, p.ContentHash }).ToDictionaryAsync(p => p.Number, p => p.ContentHash!, ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            LogAppender.PrepareLeaves(records, v => hashes[v]);
            var nodes = new List<LogNode>();
            var frontier = await LogAppender.TakePositionsAsync(db, records, nodes);
            foreach (var r in records)
            {
                // The one update the records' trigger allows besides erasure: a leaf given once to a record that had none.
                await db.ConsentRecords.Where(x => x.Id == r.Id && x.LogIndex == null).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.LogIndex, r.LogIndex)
                    .SetProperty(x => x.LeafHash, r.LeafHash)
                    .SetProperty(x => x.VisitorSalt, r.VisitorSalt)
                    .SetProperty(x => x.VisitorCommitment, r.VisitorCommitment), ct);
            }
            await LogAppender.FinishAsync(db, frontier, nodes, now);
            await transaction.CommitAsync(ct);
            done += records.Count;
        }
    }
}
