using Consent.Core.Consents;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Support;

/// <summary>
/// Base of HTTP tests: each test gets the real app (WebApplicationFactory, in memory) on its own SQLite file and a
/// visitor's client, which follows no redirect and keeps no cookie (see <see cref="ConsentAppFactory.CreateVisitorClient"/>).
/// </summary>
public abstract class AppTest : IAsyncLifetime
{
    protected ConsentAppFactory app = null!;
    protected HttpClient client = null!;

    /// <summary>Configuration a test class needs before the app starts, in <see cref="ConsentAppFactory.Settings"/>.</summary>
    protected virtual void Configure(IDictionary<string, string> settings)
    {
    }

    public ValueTask InitializeAsync()
    {
        app = new ConsentAppFactory();
        Configure(app.Settings);
        client = app.CreateVisitorClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
    }

    /// <summary>Every consent record stored so far, read straight from the database.</summary>
    protected async Task<List<ConsentRecord>> StoredRecordsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.ConsentRecords.AsNoTracking().ToListAsync();
    }

    /// <summary>Publishes policy version 2 behind the app's back (no snapshot, no audit): only its number matters here.</summary>
    protected async Task PublishPolicyVersion2Async(string summary = "A new analytics supplier.")
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        db.PolicyVersions.Add(new() { Number = 2, PublishedAt = app.Time.GetUtcNow().UtcDateTime, Summary = summary });
        await db.SaveChangesAsync();
    }
}
