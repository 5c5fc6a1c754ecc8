namespace Consent.Core.Persistence;

/// <summary>
/// A value read from the database for every visitor request (settings, the Consent Mode mapping), kept in memory:
/// replaced at once when it is changed on this instance, and read again after <see cref="RefreshAfter"/> so that
/// other instances of the center follow a change too.
/// </summary>
public sealed class KeptCopy<T>(TimeProvider time) where T : class
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);

    private sealed record Entry(T Value, DateTimeOffset ReadAt);

    private volatile Entry? entry;

    /// <summary>The kept value while it is fresh (a clock set back counts as stale), else <paramref name="read"/>'s answer, then kept.</summary>
    public async Task<T> GetAsync(Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (entry is { } hit && now - hit.ReadAt < RefreshAfter && now >= hit.ReadAt) return hit.Value;
        var value = await read(ct);
        entry = new Entry(value, now);
        return value;
    }

    /// <summary>Keeps <paramref name="value"/>, just written by this instance.</summary>
    public void Set(T value) => entry = new Entry(value, time.GetUtcNow());

    /// <summary>Drops the kept value: the next read goes to the database.</summary>
    public void Forget() => entry = null;
}
