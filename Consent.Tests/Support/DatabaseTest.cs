namespace Consent.Tests.Support;

/// <summary>
/// Base of tests of Consent.Core's services: each test gets its own freshly migrated and seeded database. A test class
/// runs on both engines through two nested classes, <c>OnSqlite</c> and <c>OnPostgres</c>.
/// </summary>
public abstract class DatabaseTest(TestEngine engine) : IAsyncLifetime
{
    protected TestDatabase db = null!;

    protected TestEngine Engine => engine;

    public virtual async ValueTask InitializeAsync() => db = await TestDatabase.CreateAsync(engine);

    public virtual ValueTask DisposeAsync() => db is null ? ValueTask.CompletedTask : db.DisposeAsync();
}
