using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Snapshot;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Support;

/// <summary>
/// Base of HTTP tests: each test gets the real app (WebApplicationFactory, in memory) on a database of its own and a
/// visitor's client, which follows no redirect and keeps no cookie (see <see cref="ConsentAppFactory.CreateVisitorClient"/>).
/// A test class runs on both engines through two nested classes, <c>OnSqlite</c> and <c>OnPostgres</c>.
/// </summary>
public abstract class AppTest(TestEngine engine) : IAsyncLifetime
{
    protected ConsentAppFactory app = null!;
    protected HttpClient client = null!;

    /// <summary>Configuration a test class needs before the app starts, in <see cref="ConsentAppFactory.Settings"/>.</summary>
    protected virtual void Configure(IDictionary<string, string> settings)
    {
    }

    protected TestEngine Engine => engine;

    public async ValueTask InitializeAsync()
    {
        app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(engine));
        Configure(app.Settings);
        client = app.CreateVisitorClient();
    }

    public async ValueTask DisposeAsync()
    {
        client?.Dispose();
        if (app is not null) await app.DisposeAsync();
    }

    /// <summary>Every consent record stored so far, read straight from the database.</summary>
    protected async Task<List<ConsentRecord>> StoredRecordsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.ConsentRecords.AsNoTracking().ToListAsync();
    }

    /// <summary>Publishes policy version 2 behind the app's back (an empty snapshot, no audit): only its number matters here.</summary>
    protected async Task PublishPolicyVersion2Async(string summary = "A new analytics supplier.")
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        db.PolicyVersions.Add(StoredPolicy.Version(2, app.Time.GetUtcNow().UtcDateTime, summary));
        await db.SaveChangesAsync();
        // Behind the services' back: the snapshot in memory is read again, as a publication would have it.
        await app.Services.GetRequiredService<SnapshotService>().RefreshAsync();
    }
}
