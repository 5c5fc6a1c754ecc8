using System.Collections.Concurrent;
using Consent.Core.Persistence;
using Consent.Core.Statistics;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Consents;

/// <summary>
/// The write path of consent records, with group commit: records that arrive while a commit is
/// running are committed together in the next transaction, and every caller returns only once
/// its own record is durably stored. One committer at a time; no background thread.
/// The statistics rollups are added to in the same transaction as the records, so they can never
/// disagree with the log: a batch is stored with its counts, or neither is.
/// </summary>
public sealed class ConsentWriter(IDbContextFactory<ConsentDbContext> dbFactory, ChangeFeed changes)
{
    private const int MaxBatch = 512;
    private readonly ConcurrentQueue<Pending> queue = new();
    private readonly SemaphoreSlim committer = new(1, 1);

    /// <summary>
    /// Stores the record and returns once it is committed. Not cancellable: a queued record is
    /// committed by whoever commits next, so an aborted request must not leave it half-answered.
    /// </summary>
    public async Task AppendAsync(ConsentRecord record, IdempotencyKey? key = null)
    {
        var mine = new Pending(record, key);
        queue.Enqueue(mine);
        var turn = committer.WaitAsync();
        if (await Task.WhenAny(turn, mine.Done.Task) != turn)
        {
            // Another caller's transaction committed our record: answer now, and hand the turn on when it comes.
            _ = turn.ContinueWith(_ => committer.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await mine.Done.Task;
            return;
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
        await mine.Done.Task;
    }

    /// <summary>Transactions committed so far; fewer than records when concurrent choices were grouped.</summary>
    public long Transactions => Interlocked.Read(ref transactions);

    private long transactions;

    private async Task CommitAsync(List<Pending> batch)
    {
        try
        {
            await SaveAsync(batch);
        }
        catch (Exception) when (batch.Count > 1)
        {
            // One bad record must not fail the others: commit them one by one, each answered on its own.
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
        foreach (var p in batch) p.Done.TrySetResult();
    }

    private async Task SaveAsync(List<Pending> batch)
    {
        // Not a caller's token: a commit serves other callers' records too.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var records = batch.Select(p => p.Record).ToList();
        db.ConsentRecords.AddRange(records);
        db.IdempotencyKeys.AddRange(batch.Where(p => p.Key is not null).Select(p => p.Key!));
        await db.SaveChangesAsync(CancellationToken.None);
        await ForgetExpiredKeysAsync(db, records[0].RecordedAt);
        await RollupWrites.AddDecisionsAsync(db, records);
        await transaction.CommitAsync(CancellationToken.None);
        Interlocked.Increment(ref transactions);
    }

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
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
