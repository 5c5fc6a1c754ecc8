using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consent.Core.Snapshot;

/// <summary>
/// Holds the <see cref="CenterSnapshot"/> in force, so that no visitor's page, config or choice reads the database. A change of
/// the catalogue, a policy or the settings makes a new one: before the change's own call returns on this instance, and as soon as
/// the <see cref="ChangeFeed"/> brings the news on the others. While the feed cannot hear the others, or after a minute in any case,
/// the snapshot is read again in the background, and the one in force is served meanwhile.
/// </summary>
public sealed partial class SnapshotService
{
    /// <summary>However quiet the feed, a snapshot is read again after this long.</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);

    /// <summary>While the feed is not listening (PostgreSQL reconnecting), so that another instance's change is still seen within 2 s.</summary>
    public static readonly TimeSpan RefreshWhileDeaf = TimeSpan.FromSeconds(1);

    private static readonly ChangeTopic[] Topics = [ChangeTopic.Catalogue, ChangeTopic.Policies, ChangeTopic.Settings];

    private readonly CatalogueService catalogue;
    private readonly PolicyService policies;
    private readonly ConsentSettingsService settings;
    private readonly ChangeFeed changes;
    private readonly TimeProvider time;
    private readonly ILogger log;
    private readonly SemaphoreSlim loader = new(1, 1);
    private volatile CenterSnapshot? current;
    private long requested;
    private long loadedFor;
    private long generation;
    private int refreshing;
    private volatile bool stale;
    private int reportedFailure;

    public SnapshotService(CatalogueService catalogue, PolicyService policies, ConsentSettingsService settings,
        ChangeFeed changes, TimeProvider time, ILogger<SnapshotService>? logger = null)
    {
        this.catalogue = catalogue;
        this.policies = policies;
        this.settings = settings;
        this.changes = changes;
        this.time = time;
        log = logger ?? NullLogger<SnapshotService>.Instance;
        changes.Follow(topic => Topics.Contains(topic) ? RefreshAsync(CancellationToken.None) : Task.CompletedTask);
    }

    /// <summary>Raised after a new snapshot is in force (caches made from the old one can let go). Handlers must be quick.</summary>
    public event Action<CenterSnapshot>? Replaced;

    /// <summary>The snapshot in force; read from the database only the first time.</summary>
    public ValueTask<CenterSnapshot> GetAsync(CancellationToken ct = default)
    {
        if (current is not { } snapshot) return new(RefreshAsync(ct));
        var age = time.GetUtcNow() - snapshot.LoadedAt;
        if (stale || age >= (changes.IsListening ? RefreshAfter : RefreshWhileDeaf) || age < TimeSpan.Zero) RefreshInBackground();
        return new(snapshot);
    }

    /// <summary>The snapshot in force, for a request's synchronous reading; the app reads the first one at start-up.</summary>
    public CenterSnapshot Current => GetAsync() is { IsCompletedSuccessfully: true } ready ? ready.Result
        : throw new InvalidOperationException("The snapshot is read at start-up (await SnapshotService.GetAsync) before any request is answered.");

    /// <summary>
    /// Reads a new snapshot and puts it in force; returns once one read after this call began is in force (a change committed
    /// before the call is in it, also when several calls overlap).
    /// </summary>
    public async Task<CenterSnapshot> RefreshAsync(CancellationToken ct = default)
    {
        var wanted = Interlocked.Increment(ref requested);
        await loader.WaitAsync(ct);
        try
        {
            if (Interlocked.Read(ref loadedFor) >= wanted && current is { } fresh) return fresh;
            var startedFor = Interlocked.Read(ref requested);
            CenterSnapshot snapshot;
            try
            {
                snapshot = await ReadAsync(ct);
            }
            catch (Exception) when (current is not null)
            {
                // A change may be missing from the snapshot in force: the next request tries again.
                stale = true;
                throw;
            }
            current = snapshot;
            Interlocked.Exchange(ref loadedFor, startedFor);
            stale = false;
            foreach (var handler in Replaced?.GetInvocationList().Cast<Action<CenterSnapshot>>() ?? [])
            {
                try
                {
                    handler(snapshot);
                }
                catch (Exception ex)
                {
                    LogHandlerFailed(log, ex);
                }
            }
            return snapshot;
        }
        finally
        {
            loader.Release();
        }
    }

    private void RefreshInBackground()
    {
        if (Interlocked.Exchange(ref refreshing, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await RefreshAsync(CancellationToken.None);
                Volatile.Write(ref reportedFailure, 0);
            }
            catch (Exception ex)
            {
                // The snapshot in force keeps serving; the next request tries again. Said once per outage, not per second.
                if (Interlocked.Exchange(ref reportedFailure, 1) == 0) LogRefreshFailed(log, ex.Message);
                return;
            }
            finally
            {
                Volatile.Write(ref refreshing, 0);
            }
        });
    }

    private async Task<CenterSnapshot> ReadAsync(CancellationToken ct)
    {
        var loadedAt = time.GetUtcNow();
        var categories = await catalogue.GetCategoriesAsync(ct);
        var policy = await policies.GetCurrentAsync(ct);
        var recent = await policies.GetChangesSinceAsync(policy.Number - PolicyService.MaxChangesShown, ct);
        var row = await settings.GetAsync(ct);
        // The mapping is on the categories just read (in Google's order of types), the mode on the settings row.
        var mode = new GoogleConsentModeConfig(row.GoogleConsentMode, categories.ToDictionary(c => c.Key, c => c.GoogleConsentTypes, StringComparer.Ordinal));
        return new CenterSnapshot(Interlocked.Increment(ref generation), loadedAt, categories, policy.Number, policy.PublishedAt, recent,
            new ConsentPeriods(row.LifetimeMonths, row.RefusalLifetimeMonths), mode)
        {
            PolicyContentHash = policy.ContentHash ?? PolicyVersion.HashOf(policy.Snapshot),
        };
    }

    [LoggerMessage(EventId = 2050, EventName = "SnapshotRefreshFailed", Level = LogLevel.Warning,
        Message = "Could not read the catalogue, policy and settings again; the copy in memory is still served: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2051, EventName = "SnapshotHandlerFailed", Level = LogLevel.Error, Message = "A handler of a new snapshot failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);
}
