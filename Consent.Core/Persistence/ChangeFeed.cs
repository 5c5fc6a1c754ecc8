using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Consent.Core.Persistence;

/// <summary>
/// Tells every instance on the database that something they keep in memory changed: PostgreSQL <c>NOTIFY</c>/<c>LISTEN</c>,
/// or in the process only on SQLite, which serves one instance.
/// </summary>
public sealed partial class ChangeFeed(ConsentDatabaseOptions database, ILogger<ChangeFeed>? logger = null)
{
    public const string Channel = "consent_center";

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private readonly string instance = Guid.NewGuid().ToString("N")[..12];
    private readonly ILogger log = logger ?? NullLogger<ChangeFeed>.Instance;

    /// <summary>Raised on this instance for a change made here or on another instance. Handlers must be quick.</summary>
    public event Action<ChangeTopic>? Changed;

    /// <summary>Whether this instance is listening to the others now (always true on SQLite, where there are none).</summary>
    public bool IsListening => database.Provider != DatabaseProvider.Postgres || listening;

    private volatile bool listening;

    /// <summary>
    /// Registers what must be read again after a change: awaited by <see cref="AnnounceAsync"/> on this instance, so a change's call
    /// returns once this instance follows it, and run in the background for the others' changes.
    /// </summary>
    public void Follow(Func<ChangeTopic, Task> refresh)
    {
        lock (followGate) followers = [.. followers, refresh];
    }

    private readonly Lock followGate = new();
    private Func<ChangeTopic, Task>[] followers = [];

    /// <summary>After a change is committed: tells this instance at once, and the others. Never fails the change it reports.</summary>
    public async Task AnnounceAsync(ChangeTopic topic)
    {
        Raise(topic);
        await FollowAsync(topic);
        await TellOthersAsync(topic);
    }

    private async Task FollowAsync(ChangeTopic topic)
    {
        foreach (var refresh in followers)
        {
            try
            {
                await refresh(topic);
            }
            catch (Exception ex)
            {
                // The change is stored; whoever follows it tries again on its own.
                LogHandlerFailed(log, ex, topic);
            }
        }
    }

    /// <summary>
    /// After a frequent commit (consents, banner views): tells this instance at once, and the others without waiting, one
    /// message at a time per topic however many commits arrive meanwhile.
    /// </summary>
    public void Nudge(ChangeTopic topic)
    {
        Raise(topic);
        if (database.Provider != DatabaseProvider.Postgres) return;
        lock (nudgeGate)
        {
            if (!sending.Add(topic))
            {
                again.Add(topic);
                return;
            }
        }
        _ = Task.Run(async () =>
        {
            while (true)
            {
                await TellOthersAsync(topic);
                lock (nudgeGate)
                {
                    if (again.Remove(topic)) continue;
                    sending.Remove(topic);
                    return;
                }
            }
        });
    }

    private readonly Lock nudgeGate = new();
    private readonly HashSet<ChangeTopic> sending = [];
    private readonly HashSet<ChangeTopic> again = [];

    private async Task TellOthersAsync(ChangeTopic topic)
    {
        if (database.Provider != DatabaseProvider.Postgres) return;
        try
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(CancellationToken.None);
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", Channel);
            notify.Parameters.AddWithValue("payload", Payload(topic));
            await notify.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The change is stored; the others re-read kept copies on their own after a minute at the latest.
            LogNotifyFailed(log, topic, ex.Message);
        }
    }

    /// <summary>
    /// Listens to the other instances until <paramref name="ct"/> is cancelled, reconnecting after a failure. Returns at once on SQLite.
    /// </summary>
    public async Task ListenAsync(CancellationToken ct)
    {
        if (database.Provider != DatabaseProvider.Postgres) return;
        // A dead server must be noticed, not waited on for ever: keepalives every 5 s.
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { KeepAlive = 5, Pooling = false }.ConnectionString;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                // Whatever changed while this instance was not listening.
                foreach (var topic in Enum.GetValues<ChangeTopic>())
                {
                    Raise(topic);
                    _ = Task.Run(() => FollowAsync(topic));
                }
                listening = true;
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(log, ex.Message);
            }
            finally
            {
                listening = false;
            }
            try
            {
                await Task.Delay(RetryAfter, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private string Payload(ChangeTopic topic) => $"{topic}:{instance}";

    private void OnNotification(string payload)
    {
        var cut = payload.IndexOf(':', StringComparison.Ordinal);
        if (cut < 0 || payload[(cut + 1)..] == instance) return;
        if (!Enum.TryParse<ChangeTopic>(payload[..cut], out var topic)) return;
        Raise(topic);
        _ = Task.Run(() => FollowAsync(topic));
    }

    private void Raise(ChangeTopic topic)
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action<ChangeTopic>>() ?? [])
        {
            try
            {
                handler(topic);
            }
            catch (Exception ex)
            {
                // One subscriber's failure must not keep the news from the others.
                LogHandlerFailed(log, ex, topic);
            }
        }
    }

    [LoggerMessage(EventId = 2010, EventName = "ChangeNotifyFailed", Level = LogLevel.Warning, Message = "Could not tell the other instances that {Topic} changed: {Error}")]
    private static partial void LogNotifyFailed(ILogger logger, ChangeTopic topic, string error);

    [LoggerMessage(EventId = 2011, EventName = "ChangeListenFailed", Level = LogLevel.Warning,
        Message = "Not listening to the other instances' changes, trying again in a second: {Error}")]
    private static partial void LogListenFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2012, EventName = "ChangeHandlerFailed", Level = LogLevel.Error, Message = "A handler of {Topic} changes failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, ChangeTopic topic);
}
