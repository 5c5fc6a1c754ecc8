using Consent.Core;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Consent.Tests.Core;

/// <summary>The schema each engine is created with, and how the center prepares its database on start.</summary>
public abstract class DatabaseStartupTests(TestEngine engine) : IAsyncLifetime
{
    public sealed class OnSqlite() : DatabaseStartupTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : DatabaseStartupTests(TestEngine.Postgres);

    private readonly List<ServiceProvider> instances = [];
    private ScratchDatabase database = null!;

    public async ValueTask InitializeAsync() => database = await ScratchDatabase.CreateAsync(engine, migrated: false);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in instances) await instance.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>An instance's services on the test's database, not yet started.</summary>
    private ServiceProvider Instance(bool migrateOnStart = true)
    {
        var services = TestDatabase.ServicesOf(database.Options with { MigrateOnStart = migrateOnStart });
        instances.Add(services);
        return services;
    }

    private async Task<ConsentDbContext> ContextAsync(ServiceProvider instance) =>
        await instance.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();

    [Fact]
    public async Task The_model_has_no_changes_the_baseline_migration_lacks()
    {
        await using var db = await ContextAsync(Instance());

        Assert.False(db.Database.HasPendingModelChanges(), $"The {engine} model differs from its migrations: add a migration for both engines.");
    }

    [Fact]
    public async Task Each_engine_has_its_own_migrations_from_one_baseline()
    {
        await using var db = await ContextAsync(Instance());

        var migrations = db.Database.GetMigrations().Select(m => m[(m.IndexOf('_') + 1)..]).ToList();

        Assert.Equal(["Baseline", "IdempotencyKeys", "VerifiableLog", "RecordTriggers", "Members", "RightsRequests"], migrations);
        Assert.Equal(engine == TestEngine.Postgres ? typeof(PostgresConsentDbContext) : typeof(SqliteConsentDbContext), db.GetType());
    }

    [Fact]
    public async Task A_first_start_creates_migrates_and_seeds_an_empty_database()
    {
        var instance = Instance();

        await ConsentDatabase.InitializeAsync(instance);

        await using var db = await ContextAsync(instance);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(3, await db.Categories.CountAsync());
        Assert.Equal(1, await db.PolicyVersions.CountAsync());
        Assert.Equal(["consent-cookie", "log-checkpoint"], await db.SigningKeys.OrderBy(k => k.Purpose).Select(k => k.Purpose).ToListAsync());
    }

    [Fact]
    public async Task With_migrations_off_an_unmigrated_database_stops_the_start_and_says_what_to_run()
    {
        var instance = Instance(migrateOnStart: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ConsentDatabase.InitializeAsync(instance));

        Assert.Equal("The database does not exist yet and Consent:Database:MigrateOnStart is false. " +
            "Migrate it first: run the app once with --migrate-only (see docs/deployment.md).", error.Message);
    }

    [Fact]
    public async Task A_migrated_database_starts_with_migrations_off_and_a_second_start_adds_nothing()
    {
        await ConsentDatabase.InitializeAsync(Instance(), migrate: true);

        var later = Instance(migrateOnStart: false);
        await ConsentDatabase.InitializeAsync(later);

        await using var db = await ContextAsync(later);
        Assert.Equal((3, 1, 2), (await db.Categories.CountAsync(), await db.PolicyVersions.CountAsync(), await db.SigningKeys.CountAsync()));
    }
}
