namespace Consent.Tests.Support;

/// <summary>Base of tests of Consent.Core's services: each test gets its own freshly migrated and seeded SQLite file.</summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    protected TestDatabase db = null!;

    public virtual async ValueTask InitializeAsync() => db = await TestDatabase.CreateAsync();

    public virtual ValueTask DisposeAsync() => db.DisposeAsync();
}
