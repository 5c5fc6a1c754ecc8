using System.Collections.Concurrent;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Consents;

/// <summary>
/// The write path of consent records, with group commit: records that arrive while a commit is
/// running are committed together in the next transaction, and every caller returns only once
/// its own record is durably stored. One committer at a time; no background thread.
/// </summary>
public sealed class ConsentWriter(IDbContextFactory<ConsentDbContext> dbFactory)
{
    private const int MaxBatch = 512;
    private readonly ConcurrentQueue<Pending> queue = new();
    private readonly SemaphoreSlim committer = new(1, 1);

    public async Task AppendAsync(ConsentRecord record, CancellationToken ct = default)
    {
        var mine = new Pending(record);
        queue.Enqueue(mine);
        await committer.WaitAsync(ct);
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

    private async Task CommitAsync(List<Pending> batch)
    {
        try
        {
            // Not the caller's token: a commit serves other callers' records too.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            db.ConsentRecords.AddRange(batch.Select(p => p.Record));
            await db.SaveChangesAsync(CancellationToken.None);
            foreach (var p in batch) p.Done.TrySetResult();
        }
        catch (Exception ex)
        {
            foreach (var p in batch) p.Done.TrySetException(ex);
        }
    }

    private sealed record Pending(ConsentRecord Record)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
