using System.Globalization;
using Consent.Core;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

/// <summary>
/// How many bytes a consent record takes on disk, its indexes included: N records of a year of varied choices, stored
/// through the real model on SQLite (and on PostgreSQL when CONSENT_BENCH_POSTGRES names a server), set against the same
/// records in the layout before the baseline (text keys, a decision row per category), measured in the same run.
/// </summary>
public static class RecordSize
{
    private static readonly string[] Optional = ["analytics", "social-media"];
    private static readonly string[] Browsers = ["Chrome", "Chrome", "Chrome", "Safari", "Firefox", "Edge", "Other"];
    private const int Batch = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        Console.WriteLine($"{count:N0} records, 3 categories each, one year of choices\n");
        Console.WriteLine("| layout | bytes per record (table + indexes) | ratio to the old layout |");
        Console.WriteLine("| --- | --- | --- |");

        var old = await OldSqliteAsync(count);
        Report("old layout on SQLite (before the baseline)", old, old);
        Report("baseline on SQLite", await BaselineAsync(DatabaseProvider.Sqlite, count), old);
        if (Environment.GetEnvironmentVariable("CONSENT_BENCH_POSTGRES") is { Length: > 0 } server)
        {
            Report("baseline on PostgreSQL", await BaselineAsync(DatabaseProvider.Postgres, count, server), old);
        }
        return 0;
    }

    private sealed record Measure(double BytesPerRecord);

    private static void Report(string layout, Measure measure, Measure old) =>
        Console.WriteLine($"| {layout} | {measure.BytesPerRecord:N0} | {measure.BytesPerRecord / old.BytesPerRecord:0.00} |");

    /// <summary>
    /// The same records every time, in order of time over the 365 days from <paramref name="start"/> (2026 by default): about
    /// 1.3 records per visitor, a third in French, returning visitors re-deciding in the preference center (some withdrawing),
    /// one in ten through an embedding site, and each of <paramref name="policyVersions"/> versions answered for an equal share of the year.
    /// </summary>
    internal static IEnumerable<ConsentRecord> Records(int count, int policyVersions = 3, DateTime? start = null)
    {
        var random = new Random(20261201);
        var first = start ?? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var visitors = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var at = first.AddTicks(TimeSpan.FromDays(365).Ticks / count * i);
            at = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMicrosecond));
            var returning = visitors.Count > 0 && random.Next(4) == 0;
            var visitor = returning ? visitors[random.Next(visitors.Count)] : ConsentCookie.NewVisitorId();
            if (!returning) visitors.Add(visitor);
            var method = Method(random.Next(100), returning);
            var granted = method switch
            {
                ConsentMethod.AcceptAll => Optional,
                ConsentMethod.Custom => Optional.Where(_ => random.Next(2) == 0).ToArray(),
                _ => [],
            };
            yield return new ConsentRecord
            {
                Id = Guid.CreateVersion7(at),
                VisitorId = visitor,
                PolicyVersion = 1 + (int)((long)i * policyVersions / count),
                Method = method,
                Source = returning ? ConsentSource.PreferenceCenter : random.Next(20) == 0 ? ConsentSource.Placeholder : ConsentSource.Banner,
                RecordedAt = at,
                ExpiresAt = at.AddMonths(granted.Length == 0 ? 6 : 12),
                Language = random.Next(3) == 0 ? "fr" : "en",
                BrowserFamily = Browsers[random.Next(Browsers.Length)],
                Site = random.Next(10) == 0 ? "shop" : null,
                Decisions = [new() { CategoryKey = "functional", Granted = true }, .. Optional.Select(k => new ConsentDecision { CategoryKey = k, Granted = granted.Contains(k) })],
            };
        }
    }

    /// <summary>First choices mostly accept or reject everything; those who come back fine-tune or withdraw.</summary>
    private static ConsentMethod Method(int percent, bool returning) => returning
        ? percent switch { < 25 => ConsentMethod.AcceptAll, < 45 => ConsentMethod.RejectAll, < 85 => ConsentMethod.Custom, _ => ConsentMethod.Withdrawal }
        : percent switch { < 55 => ConsentMethod.AcceptAll, < 85 => ConsentMethod.RejectAll, _ => ConsentMethod.Custom };

    /// <summary>Through the real model and migrations: what the center stores today.</summary>
    private static async Task<Measure> BaselineAsync(DatabaseProvider provider, int count, string? server = null)
    {
        var name = $"consent_size_{Guid.NewGuid():N}"[..24];
        var path = Path.Combine(Path.GetTempPath(), name + ".db");
        var connectionString = provider == DatabaseProvider.Sqlite ? $"Data Source={path}"
            : new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        var services = new ServiceCollection()
            .AddConsentCore(new ConsentDatabaseOptions(provider, connectionString), new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        try
        {
            await ConsentDatabase.InitializeAsync(services);
            var dbFactory = services.GetRequiredService<IDbContextFactory<ConsentDbContext>>();
            var empty = provider == DatabaseProvider.Sqlite ? await SqliteBytesAsync(connectionString) : 0;
            foreach (var chunk in Records(count).Chunk(Batch))
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                db.ConsentRecords.AddRange(chunk);
                await db.SaveChangesAsync();
            }
            await using var measure = await dbFactory.CreateDbContextAsync();
            var bytes = provider == DatabaseProvider.Sqlite
                ? await SqliteBytesAsync(connectionString) - empty
                : await measure.Database.SqlQueryRaw<long>("""SELECT pg_total_relation_size('"ConsentRecords"') AS "Value" """).SingleAsync();
            return new Measure((double)bytes / count);
        }
        finally
        {
            await services.DisposeAsync();
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
            if (server is not null)
            {
                await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString);
                await admin.OpenAsync();
                await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>The layout of the migrations the baseline replaced: ids, times, method and source as text, one row per decision.</summary>
    private static async Task<Measure> OldSqliteAsync(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"consent-size-old-{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={path}";
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await Execute(connection, """
                PRAGMA journal_mode = wal;
                CREATE TABLE "ConsentRecords" ("Id" TEXT NOT NULL CONSTRAINT "PK_ConsentRecords" PRIMARY KEY, "VisitorId" TEXT NOT NULL,
                    "PolicyVersion" INTEGER NOT NULL, "Method" TEXT NOT NULL, "Source" TEXT NOT NULL, "RecordedAt" TEXT NOT NULL,
                    "ExpiresAt" TEXT NOT NULL, "Language" TEXT NOT NULL, "BrowserFamily" TEXT NOT NULL, "Site" TEXT NULL);
                CREATE TABLE "ConsentDecisions" ("CategoryKey" TEXT NOT NULL, "ConsentRecordId" TEXT NOT NULL, "Granted" INTEGER NOT NULL,
                    CONSTRAINT "PK_ConsentDecisions" PRIMARY KEY ("ConsentRecordId", "CategoryKey"),
                    CONSTRAINT "FK_ConsentDecisions_ConsentRecords_ConsentRecordId" FOREIGN KEY ("ConsentRecordId") REFERENCES "ConsentRecords" ("Id") ON DELETE CASCADE);
                CREATE INDEX "IX_ConsentRecords_RecordedAt" ON "ConsentRecords" ("RecordedAt");
                CREATE INDEX "IX_ConsentRecords_VisitorId_RecordedAt" ON "ConsentRecords" ("VisitorId", "RecordedAt");
                """);
            var empty = await SqliteBytesAsync(connectionString);
            foreach (var chunk in Records(count).Chunk(Batch))
            {
                await using var transaction = connection.BeginTransaction();
                var record = connection.CreateCommand();
                record.CommandText = """INSERT INTO "ConsentRecords" VALUES ($id, $visitor, $version, $method, $source, $at, $expires, $language, $browser, NULL)""";
                var decision = connection.CreateCommand();
                decision.CommandText = """INSERT INTO "ConsentDecisions" VALUES ($key, $id, $granted)""";
                foreach (var r in chunk)
                {
                    // As EF Core's SQLite provider wrote them: upper-case GUID text, ISO times to the tick, enums by name.
                    var id = r.Id.ToString().ToUpperInvariant();
                    record.Parameters.Clear();
                    record.Parameters.AddWithValue("$id", id);
                    record.Parameters.AddWithValue("$visitor", r.VisitorId);
                    record.Parameters.AddWithValue("$version", r.PolicyVersion);
                    record.Parameters.AddWithValue("$method", r.Method.ToString());
                    record.Parameters.AddWithValue("$source", r.Source.ToString());
                    record.Parameters.AddWithValue("$at", r.RecordedAt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                    record.Parameters.AddWithValue("$expires", r.ExpiresAt.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                    record.Parameters.AddWithValue("$language", r.Language);
                    record.Parameters.AddWithValue("$browser", r.BrowserFamily);
                    await record.ExecuteNonQueryAsync();
                    foreach (var d in r.Decisions)
                    {
                        decision.Parameters.Clear();
                        decision.Parameters.AddWithValue("$key", d.CategoryKey);
                        decision.Parameters.AddWithValue("$id", id);
                        decision.Parameters.AddWithValue("$granted", d.Granted ? 1 : 0);
                        await decision.ExecuteNonQueryAsync();
                    }
                }
                await transaction.CommitAsync();
            }
            return new Measure((double)(await SqliteBytesAsync(connectionString) - empty) / count);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        }
    }

    /// <summary>The bytes in use in a SQLite file (pages not on the free list), after a checkpoint; the records' share is the growth.</summary>
    private static async Task<long> SqliteBytesAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0) * reader.GetInt64(1);
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
