using BenchmarkDotNet.Attributes;
using Consent.Core;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Statistics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

/// <summary>
/// One group-commit batch of 1, 64 or 512 choices (each with its idempotency key) and its rollups, in one transaction on a real
/// SQLite file, and on PostgreSQL when CONSENT_BENCH_POSTGRES names a server: EF Core's SaveChanges with one upsert per rollup
/// key (the writer before issue 11), SaveChanges with multi-row rollup upserts, and the raw multi-row statements the writer
/// uses now (the baseline: 32 rows per statement on SQLite, the whole batch on PostgreSQL), and the records in one statement.
/// </summary>
[MemoryDiagnoser]
public class WriteBatchBenchmarks
{
    private static readonly string[] Languages = ["en", "fr", "de"];
    private static readonly string[] Optional = ["analytics", "social-media"];
    private readonly Random random = new(20261201);
    private string name = "";
    private string path = "";
    private ServiceProvider services = null!;
    private IDbContextFactory<ConsentDbContext> dbFactory = null!;

    [ParamsSource(nameof(Engines))]
    public DatabaseProvider Engine { get; set; }

    [Params(1, 64, 512)]
    public int Records { get; set; }

    public static IEnumerable<DatabaseProvider> Engines() => Server is null ? [DatabaseProvider.Sqlite] : [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    private static string? Server => Environment.GetEnvironmentVariable("CONSENT_BENCH_POSTGRES") is { Length: > 0 } s ? s : null;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        name = $"consent_batch_{Guid.NewGuid():N}"[..26];
        path = Path.Combine(Path.GetTempPath(), name + ".db");
        var connectionString = Engine == DatabaseProvider.Sqlite ? $"Data Source={path}"
            : new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
        services = new ServiceCollection()
            .AddConsentCore(new ConsentDatabaseOptions(Engine, connectionString), new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        await ConsentDatabase.InitializeAsync(services);
        dbFactory = services.GetRequiredService<IDbContextFactory<ConsentDbContext>>();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
        if (Engine == DatabaseProvider.Postgres)
        {
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres" }.ConnectionString);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }

    [Benchmark(Baseline = true, Description = "raw multi-row statements")]
    public Task Raw() => InTransactionAsync(async (db, records, keys) =>
    {
        await BatchStatements.InsertNewAsync(db, keys);
        await BatchStatements.InsertAsync(db, records);
        await RollupWrites.AddDecisionsAsync(db, records);
    });

    [Benchmark(Description = "raw, records in one statement")]
    public Task RawOneStatement() => InTransactionAsync(async (db, records, keys) =>
    {
        await BatchStatements.InsertNewAsync(db, keys);
        await BatchStatements.InsertAsync(db, records, rowsPerStatement: int.MaxValue);
        await RollupWrites.AddDecisionsAsync(db, records);
    });

    [Benchmark(Description = "EF SaveChanges, one upsert per rollup key")]
    public Task EfAsBefore() => InTransactionAsync(async (db, records, keys) =>
    {
        db.ConsentRecords.AddRange(records);
        db.IdempotencyKeys.AddRange(keys);
        await db.SaveChangesAsync();
        await RollupsOneKeyAtATimeAsync(db, records);
    });

    [Benchmark(Description = "EF SaveChanges, multi-row rollup upserts")]
    public Task EfWithMultiRowRollups() => InTransactionAsync(async (db, records, keys) =>
    {
        db.ConsentRecords.AddRange(records);
        db.IdempotencyKeys.AddRange(keys);
        await db.SaveChangesAsync();
        await RollupWrites.AddDecisionsAsync(db, records);
    });

    private async Task InTransactionAsync(Func<ConsentDbContext, List<ConsentRecord>, List<IdempotencyKey>, Task> write)
    {
        var records = Enumerable.Range(0, Records).Select(_ => NewRecord()).ToList();
        var keys = records.Select(r => new IdempotencyKey
        {
            KeyHash = Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray(),
            RequestHash = Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray(),
            ConsentId = r.Id,
            CreatedAt = r.RecordedAt,
        }).OrderBy(k => k.KeyHash, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await write(db, records, keys);
        await transaction.CommitAsync();
    }

    private ConsentRecord NewRecord()
    {
        var now = DateTime.UtcNow;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        var method = (ConsentMethod)random.Next(4);
        var granted = method switch
        {
            ConsentMethod.AcceptAll => Optional,
            ConsentMethod.Custom => Optional.Where(_ => random.Next(2) == 0).ToArray(),
            _ => [],
        };
        return new ConsentRecord
        {
            Id = Guid.CreateVersion7(now),
            VisitorId = ConsentCookie.NewVisitorId(),
            PolicyVersion = 1,
            Method = method,
            Source = (ConsentSource)random.Next(2),
            RecordedAt = now,
            ExpiresAt = now.AddMonths(6),
            Language = Languages[random.Next(Languages.Length)],
            BrowserFamily = "Chrome",
            Decisions = [new() { CategoryKey = "functional", Granted = true }, .. Optional.Select(k => new ConsentDecision { CategoryKey = k, Granted = granted.Contains(k) })],
        };
    }

    /// <summary>The rollup writes before issue 11: one upsert per rollup key, in key order.</summary>
    private static async Task RollupsOneKeyAtATimeAsync(ConsentDbContext db, List<ConsentRecord> records)
    {
        foreach (var g in records.GroupBy(r => (Day: RollupWrites.DayOf(r.RecordedAt), r.PolicyVersion, r.Language, r.Method, r.Source))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.PolicyVersion).ThenBy(g => g.Key.Language, StringComparer.Ordinal).ThenBy(g => g.Key.Method).ThenBy(g => g.Key.Source))
        {
            var (day, version, language, method, source) = g.Key;
            long count = g.Count();
            var methodNumber = (int)method;
            var sourceNumber = (int)source;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "DecisionRollups" ("Day", "PolicyVersion", "Language", "Method", "Source", "Count")
                VALUES ({day}, {version}, {language}, {methodNumber}, {sourceNumber}, {count})
                ON CONFLICT ("Day", "PolicyVersion", "Language", "Method", "Source")
                DO UPDATE SET "Count" = "DecisionRollups"."Count" + excluded."Count"
                """);
        }
        var decisions = records.SelectMany(r => r.Decisions.Select(d => (Day: RollupWrites.DayOf(r.RecordedAt), r.PolicyVersion, r.Language, d.CategoryKey, d.Granted)));
        foreach (var g in decisions.GroupBy(d => (d.Day, d.PolicyVersion, d.Language, d.CategoryKey)).OrderBy(g => g.Key.Day)
            .ThenBy(g => g.Key.PolicyVersion).ThenBy(g => g.Key.Language, StringComparer.Ordinal).ThenBy(g => g.Key.CategoryKey, StringComparer.Ordinal))
        {
            var (day, version, language, category) = g.Key;
            long answered = g.Count();
            long granted = g.Count(d => d.Granted);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "CategoryRollups" ("Day", "PolicyVersion", "Language", "CategoryKey", "Decisions", "Granted")
                VALUES ({day}, {version}, {language}, {category}, {answered}, {granted})
                ON CONFLICT ("Day", "PolicyVersion", "Language", "CategoryKey")
                DO UPDATE SET "Decisions" = "CategoryRollups"."Decisions" + excluded."Decisions",
                              "Granted" = "CategoryRollups"."Granted" + excluded."Granted"
                """);
        }
    }
}
