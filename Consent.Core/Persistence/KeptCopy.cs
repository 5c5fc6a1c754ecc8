namespace Consent.Core.Persistence;

/// <summary>
/// A value read from the database for every visitor request (settings, the Consent Mode mapping), kept in memory:
/// dropped when one of its <see cref="ChangeTopic"/>s is announced on any instance (<see cref="ChangeFeed"/>), and
/// read again after <see cref="RefreshAfter"/> in any case, should an announcement be missed.
/// </summary>
public sealed class KeptCopy<T> where T : class
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);

    private sealed record Entry(T Value, DateTimeOffset ReadAt);

    private readonly TimeProvider time;
    private volatile Entry? entry;
    private long generation;

    public KeptCopy(TimeProvider time, ChangeFeed changes, params ChangeTopic[] topics)
    {
        this.time = time;
        changes.Changed += topic =>
        {
            if (topics.Contains(topic)) Forget();
        };
    }

    /// <summary>The kept value while it is fresh (a clock set back counts as stale), else <paramref name="read"/>'s answer, then kept.</summary>
    public async Task<T> GetAsync(Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (entry is { } hit && now - hit.ReadAt < RefreshAfter && now >= hit.ReadAt) return hit.Value;
        var before = Interlocked.Read(ref generation);
        var value = await read(ct);
        // A change announced while reading may not be in what was read: answer it, but do not keep it.
        if (Interlocked.Read(ref generation) == before) entry = new Entry(value, now);
        return value;
    }

    /// <summary>Keeps <paramref name="value"/>, just written by this instance.</summary>
    public void Set(T value) => entry = new Entry(value, time.GetUtcNow());

    /// <summary>Drops the kept value: the next read goes to the database.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        entry = null;
    }
}
