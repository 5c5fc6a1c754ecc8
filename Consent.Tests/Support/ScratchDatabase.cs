using System.Collections.Concurrent;
using Consent.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Consent.Tests.Support;

/// <summary>
/// An empty, migrated database of its own for one test, deleted afterwards. Each engine migrates one template per
/// test run with the real migrations; a test's database is a copy of it (a file copy on SQLite, <c>CREATE DATABASE …
/// TEMPLATE</c> on PostgreSQL), so no test pays for migrating.
/// PostgreSQL is the server named by CONSENT_TEST_POSTGRES (a connection string with no database, e.g.
/// <c>Host=127.0.0.1;Port=5440;Username=postgres</c>). Without it the PostgreSQL tests say so and skip; in CI they fail.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    public const string ServerVariable = "CONSENT_TEST_POSTGRES";

    private static readonly string RunId = Guid.NewGuid().ToString("N")[..8];
    private static readonly Lazy<Task<string>> SqliteTemplate = new(CreateSqliteTemplateAsync);
    private static readonly Lazy<Task<string>> PostgresTemplate = new(CreatePostgresTemplateAsync);
    // CREATE DATABASE copies the template only while nobody else is connected to it: one copy at a time.
    private static readonly SemaphoreSlim Copying = new(1, 1);

    // PostgreSQL copies a template in about half a second: a test's database is emptied afterwards and handed to the next.
    private static readonly ConcurrentBag<string> Emptied = [];

    private ScratchDatabase(TestEngine engine, string connectionString, string name, bool reusable = false)
    {
        Engine = engine;
        ConnectionString = connectionString;
        Name = name;
        this.reusable = reusable;
    }

    private bool reusable;
    private int disposed;

    public TestEngine Engine { get; }
    public string ConnectionString { get; }

    /// <summary>The SQLite file's path, or the PostgreSQL database's name.</summary>
    public string Name { get; }

    public ConsentDatabaseOptions Options => new(Engine == TestEngine.Postgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, ConnectionString);

    /// <summary>The configuration that points the app at this database.</summary>
    public IReadOnlyDictionary<string, string> AppSettings => new Dictionary<string, string>
    {
        ["Consent:Database:Provider"] = Options.Provider.ToString(),
        ["ConnectionStrings:Consent"] = ConnectionString,
    };

    /// <param name="engine">SQLite or PostgreSQL.</param>
    /// <param name="migrated">A copy of the migrated template; otherwise a name where no database exists yet.</param>
    public static async Task<ScratchDatabase> CreateAsync(TestEngine engine, bool migrated = true)
    {
        if (engine == TestEngine.Sqlite)
        {
            var path = Path.Combine(Path.GetTempPath(), $"consent-test-{Guid.NewGuid():N}.db");
            if (migrated) File.Copy(await SqliteTemplate.Value, path);
            return new ScratchDatabase(engine, $"Data Source={path}", path);
        }

        var server = RequireServer();
        if (migrated && Emptied.TryTake(out var emptied)) return new ScratchDatabase(engine, PostgresConnectionString(server, emptied), emptied, reusable: true);
        var name = $"consent_test_{RunId}_{Guid.NewGuid():N}"[..40];
        if (migrated)
        {
            var template = await PostgresTemplate.Value;
            await Copying.WaitAsync();
            try
            {
                await ExecuteOnServerAsync(server, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
            }
            finally
            {
                Copying.Release();
            }
        }
        return new ScratchDatabase(engine, PostgresConnectionString(server, name), name, reusable: migrated);
    }

    // Tests run side by side on one server: each app gets a small pool, as an instance among many would. The application
    // name makes each test's pool its own, so that no connection of the previous user of an emptied database is handed on.
    private static string PostgresConnectionString(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 20, ApplicationName = $"consent-test-{Guid.NewGuid():N}" }.ConnectionString;

    /// <summary>Takes the database away from under a running app: the file deleted, or the PostgreSQL database dropped.</summary>
    public async Task RemoveAsync()
    {
        if (Engine == TestEngine.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { Name, Name + "-wal", Name + "-shm" }) File.Delete(file);
            return;
        }
        await ExecuteOnServerAsync(RequireServer(), $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// The PostgreSQL server's connection string; without one the test is skipped, loudly, or fails in CI.
    /// Call first in a test that needs a server of its own.
    /// </summary>
    public static string RequireServer()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (!string.IsNullOrWhiteSpace(server)) return server;
        var missing = $"PostgreSQL tests did not run: {ServerVariable} is not set. Start a server and set it to a connection string " +
            "without a database (e.g. Host=127.0.0.1;Port=5440;Username=postgres), as .ci/run does. They are required in CI.";
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false" && ci != "0") Assert.Fail(missing);
        Assert.Skip(missing);
        return "";
    }

    /// <summary>Once only: a database handed on to the next test must never be dropped by a second call.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        if (Engine == TestEngine.Postgres && reusable && await TryEmptyAsync())
        {
            Emptied.Add(Name);
            return;
        }
        await RemoveAsync();
    }

    /// <summary>
    /// Back to the template's state: every table emptied but the migration history, identities restarted. The append-only
    /// triggers are set aside for this session only (session_replication_role, which needs a superuser; else the database is dropped).
    /// </summary>
    private async Task<bool> TryEmptyAsync()
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var empty = new NpgsqlCommand("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid();
                SET session_replication_role = replica;
                DO $$ BEGIN
                    EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
                             FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory');
                END $$;
                """, connection);
            await empty.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    private static async Task<string> CreateSqliteTemplateAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"consent-template-{RunId}.db");
        await using (var db = ConsentDbContextFactory.For(new(DatabaseProvider.Sqlite, $"Data Source={path};Pooling=False")).CreateDbContext())
        {
            await ConsentDatabase.MigrateAsync(db);
            // Everything in the main file, so that a copy of it alone is the whole database.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        };
        return path;
    }

    private static async Task<string> CreatePostgresTemplateAsync()
    {
        var server = RequireServer();
        var name = $"consent_template_{RunId}";
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        await using (var db = ConsentDbContextFactory.For(new(DatabaseProvider.Postgres, connectionString)).CreateDbContext())
        {
            await ConsentDatabase.MigrateAsync(db);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                foreach (var database in Emptied.Append(name))
                {
                    ExecuteOnServerAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)").GetAwaiter().GetResult();
                }
            }
            catch (NpgsqlException)
            {
                // A throw-away server may already be gone.
            }
        };
        return name;
    }

    private static async Task ExecuteOnServerAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
