using System.Collections.Concurrent;
using System.Data.Common;
using Consent.Core.Log;
using Consent.Core.Persistence;
using Consent.Core.Snapshot;
using Consent.Core.Statistics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Consent.Core.Consents;

/// <summary>
/// The write path of consent records, with group commit: records that arrive while a commit is
/// running are committed together in the next transaction, and every caller returns only once
/// its own record is durably stored. One committer at a time; no background thread.
/// The statistics rollups are added to in the same transaction as the records, so they can never
/// disagree with the log: a batch is stored with its counts, or neither is. So are the records' leaves in the log's tree
/// (<see cref="LogAppender"/>): a stored record always has its leaf.
/// </summary>
public sealed partial class ConsentWriter(IDbContextFactory<ConsentDbContext> dbFactory, ChangeFeed changes, SnapshotService snapshots, ILogger<ConsentWriter> log)
{
    private const int MaxBatch = 512;
    private readonly ConcurrentQueue<Pending> queue = new();
    private readonly SemaphoreSlim committer = new(1, 1);

    /// <summary>
    /// Stores the record and returns once it is committed: true, or false when its <paramref name="key"/> was already stored
    /// (by an earlier or a concurrent attempt), in which case nothing was stored. Not cancellable: a queued record is
    /// committed by whoever commits next, so an aborted request must not leave it half-answered.
    /// </summary>
    public async Task<bool> AppendAsync(ConsentRecord record, IdempotencyKey? key = null)
    {
        var mine = new Pending(record, key);
        queue.Enqueue(mine);
        var turn = committer.WaitAsync();
        if (await Task.WhenAny(turn, mine.Done.Task) != turn)
        {
            // Another caller's transaction committed our record: answer now, and hand the turn on when it comes.
            _ = turn.ContinueWith(_ => committer.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return await mine.Done.Task;
        }
        try
        {
            // Whoever held the committer before us may already have committed our record.
            while (!mine.Done.Task.IsCompleted)
            {
                var batch = new List<Pending>();
                while (batch.Count < MaxBatch && queue.TryDequeue(out var next)) batch.Add(next);
                await CommitAsync(batch);
            }
        }
        finally
        {
            committer.Release();
        }
        return await mine.Done.Task;
    }

    /// <summary>Transactions committed so far; fewer than records when concurrent choices were grouped.</summary>
    public long Transactions => Interlocked.Read(ref transactions);

    private long transactions;

    private async Task CommitAsync(List<Pending> batch)
    {
        IReadOnlySet<Pending> stored;
        try
        {
            stored = await SaveAsync(batch);
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // One bad record must not fail the others: commit them one by one, each answered on its own.
            LogGroupCommitFailed(log, ex, batch.Count);
            foreach (var p in batch) await CommitAsync([p]);
            return;
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
            return;
        }
        // Before the callers are answered, so that a dashboard has heard of the records by the time their visitors have.
        changes.Nudge(ChangeTopic.Statistics);
        foreach (var p in batch) p.Done.TrySetResult(stored.Contains(p));
    }

    /// <summary>
    /// Writes the batch in one transaction with as few statements as the engine allows (see docs/decisions.md, "Write batch"):
    /// the idempotency keys not stored yet, the records that are new or whose key was, and their rollups. Returns those stored.
    /// </summary>
    private async Task<IReadOnlySet<Pending>> SaveAsync(List<Pending> batch)
    {
        // Not a caller's token: a commit serves other callers' records too.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var stored = batch.Where(p => p.Key is null).ToHashSet();
        try
        {
            // In key order, like the rollups, so two instances inserting the same keys never wait on each other in a circle.
            var keyed = batch.Where(p => p.Key is not null).OrderBy(p => p.Key!.KeyHash, KeyHashOrder).ToList();
            if (keyed.Count > 0)
            {
                // A key stored before answers its retry from the first record: no read here, only the insert that did not happen.
                var newKeys = (await BatchStatements.InsertNewAsync(db, keyed.Select(p => p.Key!).ToList())).ToHashSet();
                stored.UnionWith(keyed.Where(p => newKeys.Contains(p.Key!)));
            }
            var records = batch.Where(stored.Contains).Select(p => p.Record).ToList();
            var now = batch[0].Record.RecordedAt;
            await ForgetExpiredKeysAsync(db, now);
            await RollupWrites.AddDecisionsAsync(db, records);
            if (records.Count > 0)
            {
                LogAppender.PrepareLeaves(records, await PolicyHashesAsync(db, records));
                // Last, since its lock on the log's head is held until the commit and orders every instance's commits.
                var nodes = new List<LogNode>();
                var frontier = await LogAppender.TakePositionsAsync(db, records, nodes);
                await BatchStatements.InsertAsync(db, records);
                await LogAppender.FinishAsync(db, frontier, nodes, now);
            }
        }
        catch (DbException ex)
        {
            // What SaveChanges would have thrown: callers and the one-by-one fallback see one kind of failure.
            throw new DbUpdateException("The batch of consent records could not be stored.", ex);
        }
        await transaction.CommitAsync(CancellationToken.None);
        Interlocked.Increment(ref transactions);
        return stored;
    }

    private readonly ConcurrentDictionary<int, byte[]> policyHashes = new();

    /// <summary>The content hash of each version the records answer: the current one from memory, an older one read once.</summary>
    private async Task<Func<int, byte[]>> PolicyHashesAsync(ConsentDbContext db, List<ConsentRecord> records)
    {
        var snapshot = await snapshots.GetAsync(CancellationToken.None);
        policyHashes.TryAdd(snapshot.PolicyVersion, snapshot.PolicyContentHash);
        foreach (var version in records.Select(r => r.PolicyVersion).Distinct().Where(v => !policyHashes.ContainsKey(v)))
        {
            var hash = await db.PolicyVersions.AsNoTracking().Where(p => p.Number == version).Select(p => p.ContentHash).SingleOrDefaultAsync(CancellationToken.None)
                ?? throw new InvalidOperationException($"A consent record answers policy version {version}, which is not published.");
            policyHashes.TryAdd(version, hash);
        }
        return v => policyHashes[v];
    }

    private static readonly Comparer<byte[]> KeyHashOrder = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));

    private DateTime keysForgottenAt;

    /// <summary>Keys past their window answer nothing any more; they are deleted now and then, in a commit's transaction.</summary>
    private async Task ForgetExpiredKeysAsync(ConsentDbContext db, DateTime now)
    {
        if (now - keysForgottenAt < TimeSpan.FromMinutes(10)) return;
        keysForgottenAt = now;
        var before = now - ConsentService.IdempotencyWindow;
        await db.IdempotencyKeys.Where(k => k.CreatedAt < before).ExecuteDeleteAsync(CancellationToken.None);
    }

    private sealed record Pending(ConsentRecord Record, IdempotencyKey? Key)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 2040, EventName = "GroupCommitFailed", Level = LogLevel.Warning,
        Message = "A group commit of {Count} consent records failed; committing them one by one")]
    private static partial void LogGroupCommitFailed(ILogger logger, Exception exception, int count);
}
