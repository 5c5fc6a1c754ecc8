using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Policies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Consent.Core.Persistence;

/// <summary>
/// Prepares the database on start: migrates it (or checks a deploy step did), then runs each feature's start-up step in
/// order, under a PostgreSQL advisory lock so that instances starting together take turns.
/// </summary>
public static partial class ConsentDatabase
{
    /// <summary>The advisory lock's key on PostgreSQL: any number, the same for every instance ("consent" in ASCII).</summary>
    private const long StartupLockKey = 0x636F6E73656E74;

    public static async Task InitializeAsync(IServiceProvider services, CancellationToken ct = default) =>
        await InitializeAsync(services, services.GetRequiredService<ConsentDatabaseOptions>().MigrateOnStart, ct: ct);

    /// <param name="services">The app's services.</param>
    /// <param name="migrate">Creates and migrates the database; otherwise refuses to go on if migrations are missing.</param>
    /// <param name="lastStep">A step of the app's to run last, still under the lock (the first Admin account).</param>
    /// <param name="ct">Cancels the preparation.</param>
    public static async Task InitializeAsync(IServiceProvider services, bool migrate, Func<Task>? lastStep = null, CancellationToken ct = default)
    {
        var database = services.GetRequiredService<ConsentDatabaseOptions>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<ConsentDbContext>>();
        var options = services.GetRequiredService<IOptions<ConsentOptions>>().Value;
        var dataProtection = services.GetRequiredService<IDataProtectionProvider>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsentDatabase).FullName!);
        LogPreparing(log, database.ToString());

        if (!migrate) await RequireMigratedAsync(dbFactory, ct);
        await using var startupLock = database.Provider == DatabaseProvider.Postgres ? await PostgresLockAsync(database, migrate, ct) : null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (migrate && await MigrateAsync(db, ct) is { Count: > 0 } applied)
        {
            LogMigrated(log, applied.Count, database.Provider, string.Join(", ", applied));
        }

        await CatalogueSeed.EnsureAsync(db, ct);
        await db.SaveChangesAsync(ct);
        await PolicySeed.EnsureAsync(db, options, now, ct);
        if (await LogBackfill.EnsureAsync(db, now, ct) is > 0 and var backfilled) LogBackfilled(log, backfilled);
        await ConsentCookie.EnsureKeyAsync(db, dataProtection, now, ct);
        await CheckpointService.EnsureKeyAsync(db, dataProtection, services.GetRequiredService<IOptions<CheckpointOptions>>().Value.Origin, now, ct);
        await services.GetRequiredService<ConsentCookie>().LoadKeysAsync(ct);
        if (lastStep is not null) await lastStep();
    }

    /// <summary>
    /// Creates the database if it is missing (a SQLite file in write-ahead-log mode) and applies the migrations;
    /// returns those it applied, oldest first.
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(ConsentDbContext db, CancellationToken ct = default)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(ct)) await creator.CreateAsync(ct);
        // Made first, so that a new database's migration does not log a failed read of a missing history (npgsql/efcore.pg#3407).
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        return pending;
    }

    /// <summary>With migrations left to a deploy step: the database must exist and have every migration of this version.</summary>
    private static async Task RequireMigratedAsync(IDbContextFactory<ConsentDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Asked first: opening a SQLite file that is not there would create an empty one.
        var exists = await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(ct);
        var pending = exists ? (await db.Database.GetPendingMigrationsAsync(ct)).ToList() : [];
        if (exists && pending.Count == 0) return;
        throw new InvalidOperationException(
            (exists ? $"The database lacks {pending.Count} migration(s) of this version of the center ({string.Join(", ", pending)})"
                : "The database does not exist yet") +
            " and Consent:Database:MigrateOnStart is false. Migrate it first: run the app once with --migrate-only (see docs/deployment.md).");
    }

    /// <summary>Takes the start-up lock on a connection of its own, held until disposed; <paramref name="create"/> makes the database first.</summary>
    private static async Task<NpgsqlConnection> PostgresLockAsync(ConsentDatabaseOptions database, bool create, CancellationToken ct)
    {
        if (create) await CreatePostgresDatabaseAsync(database, ct);
        // Not pooled: closing the connection ends its session, and so releases the lock.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            // Waits as long as the instance ahead takes to migrate: no command timeout.
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
            take.Parameters.AddWithValue("key", StartupLockKey);
            await take.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task CreatePostgresDatabaseAsync(ConsentDatabaseOptions database, CancellationToken ct)
    {
        await using var db = ConsentDbContextFactory.For(database).CreateDbContext();
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct)) return;
        try
        {
            await creator.CreateAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance created it a moment ago.
        }
    }

    [LoggerMessage(EventId = 1001, EventName = "DatabasePreparing", Level = LogLevel.Information, Message = "Preparing the {Database}")]
    private static partial void LogPreparing(ILogger logger, string database);

    [LoggerMessage(EventId = 1003, EventName = "LogBackfilled", Level = LogLevel.Information,
        Message = "Gave {Count} consent records stored before the verifiable log their leaves")]
    private static partial void LogBackfilled(ILogger logger, int count);

    [LoggerMessage(EventId = 1002, EventName = "MigrationsApplied", Level = LogLevel.Information,
        Message = "Applied {Count} migration(s) to the {Provider} database: {Migrations}")]
    private static partial void LogMigrated(ILogger logger, int count, DatabaseProvider provider, string migrations);
}
