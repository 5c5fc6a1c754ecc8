using Consent.Core.Consents;
using Consent.Core.Languages;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Consent.Core.Statistics;

/// <summary>
/// Counts banner views in memory and adds them to <see cref="BannerViewRollup"/> in one short
/// transaction every <see cref="FlushInterval"/>, before statistics are read, and when the app stops
/// (the app's host calls <see cref="FlushAsync"/> once the last request is answered).
/// A page view then costs a dictionary increment instead of a database write on the request path:
/// the banner is shown far more often than a choice is made. The price: views counted in the last
/// few seconds before a crash (not a normal stop) are lost, which a rate computed over days absorbs.
/// </summary>
public sealed partial class BannerViewCounter : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(10);

    private readonly IDbContextFactory<ConsentDbContext> dbFactory;
    private readonly ChangeFeed changes;
    private readonly TimeProvider time;
    private readonly ILogger<BannerViewCounter> log;
    private readonly ITimer timer;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim flushing = new(1, 1);
    private Dictionary<BannerViewKey, long> pending = [];

    public BannerViewCounter(IDbContextFactory<ConsentDbContext> dbFactory, ChangeFeed changes, TimeProvider time, ILogger<BannerViewCounter> log)
    {
        this.dbFactory = dbFactory;
        this.changes = changes;
        this.time = time;
        this.log = log;
        // A timer of the TimeProvider rather than a hosted service: Consent.Core has no hosting dependency, and tests control it.
        timer = time.CreateTimer(_ => _ = FlushQuietlyAsync(), null, FlushInterval, FlushInterval);
    }

    /// <summary>Counts one view of the banner, under the language it was shown in (as the visitor's decision would be recorded).</summary>
    public void Count(int policyVersion, string language)
    {
        var key = new BannerViewKey(RollupWrites.DayOf(time.GetUtcNow().UtcDateTime), policyVersion, VisitorLanguages.Find(language) ?? VisitorLanguages.Default);
        lock (gate)
        {
            pending[key] = pending.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Views counted but not yet stored.</summary>
    public long Pending
    {
        get
        {
            lock (gate) return pending.Values.Sum();
        }
    }

    /// <summary>Stores the views counted so far. If the write fails they are kept for the next flush.</summary>
    /// <remarks>
    /// Open dashboards are told only when the timer stored views (<paramref name="announce"/>): a flush that a
    /// dashboard's own read asked for would otherwise make every other dashboard re-read, and flush, in a loop.
    /// </remarks>
    public async Task FlushAsync(CancellationToken ct = default, bool announce = true)
    {
        await flushing.WaitAsync(ct);
        try
        {
            Dictionary<BannerViewKey, long> batch;
            lock (gate)
            {
                if (pending.Count == 0) return;
                batch = pending;
                pending = [];
            }
            try
            {
                // Not the caller's token: once taken from the counter, the batch must be stored or given back whole.
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
                await RollupWrites.AddBannerViewsAsync(db, batch);
                await transaction.CommitAsync(CancellationToken.None);
            }
            catch
            {
                lock (gate)
                {
                    foreach (var (key, count) in batch) pending[key] = pending.GetValueOrDefault(key) + count;
                }
                throw;
            }
        }
        finally
        {
            flushing.Release();
        }
        if (!announce) return;
        changes.Nudge(ChangeTopic.Statistics);
    }

    private async Task FlushQuietlyAsync()
    {
        try
        {
            await FlushAsync();
        }
        catch (Exception ex)
        {
            // Kept in memory and tried again at the next tick; a dashboard read flushes too and would show the error.
            LogFlushFailed(log, ex, Pending);
        }
    }

    /// <summary>
    /// Stops the timer only. Storing the last views is the host's job, before the services are disposed:
    /// by now the database services this counter needs may already be gone.
    /// </summary>
    public void Dispose() => timer.Dispose();

    [LoggerMessage(EventId = 2001, EventName = "BannerViewFlushFailed", Level = LogLevel.Warning,
        Message = "Could not store the banner views counted in memory; {Pending} are kept for the next try")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, long pending);
}
