namespace Consent.Core.Persistence;

/// <summary>
/// A value read from the database for every visitor request (settings, the Consent Mode mapping), kept in memory until one
/// of its <see cref="ChangeTopic"/>s is announced on any instance (<see cref="ChangeFeed"/>), and for a minute at most.
/// </summary>
public sealed class KeptCopy<T> where T : class
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);

    private sealed record Entry(T Value, DateTimeOffset ReadAt, long Generation);

    private readonly TimeProvider time;
    private readonly ChangeFeed changes;
    private volatile Entry? entry;
    private long generation;

    public KeptCopy(TimeProvider time, ChangeFeed changes, params ChangeTopic[] topics)
    {
        this.time = time;
        this.changes = changes;
        changes.Changed += topic =>
        {
            if (topics.Contains(topic)) Forget();
        };
    }

    /// <summary>The kept value while it is fresh, else <paramref name="read"/>'s answer, then kept.</summary>
    public async Task<T> GetAsync(Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        // Not kept while another instance's changes could go unheard (the feed reconnecting).
        if (!changes.IsListening) return await read(ct);
        var now = time.GetUtcNow();
        var current = Interlocked.Read(ref generation);
        // A clock set back counts as stale; a value read before the latest change is never served.
        if (entry is { } hit && hit.Generation == current && now - hit.ReadAt < RefreshAfter && now >= hit.ReadAt) return hit.Value;
        var value = await read(ct);
        entry = new Entry(value, now, current);
        return value;
    }

    /// <summary>Drops the kept value: the next read goes to the database.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        entry = null;
    }
}
