using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Consent.Core;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Core.Statistics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

/// <summary>
/// Fills a new database with N million records of <see cref="RecordSize.Records"/> (a year up to today, two policy versions),
/// with the decision and category rollups and banner views that match them. The database is created and migrated by the
/// real migrations; the records go in as raw batched inserts (binary COPY on PostgreSQL) of the values the model's own
/// converters make, with the log's secondary indexes built once at the end.
/// </summary>
public static class Seed
{
    /// <summary>The records cover the 365 UTC days before this day; the scale bench exports the month before it.</summary>
    public static readonly DateOnly EndDay = new(2026, 12, 1);

    private const int Transaction = 100_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var millions = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var count = (int)(millions * 1_000_000);
        var target = args.Length > 1 ? args[1] : null;
        var server = Environment.GetEnvironmentVariable("CONSENT_BENCH_POSTGRES") is { Length: > 0 } s ? s : null;
        var database = Target(server, target ?? (server is null ? "/tmp/consent-seed.db" : "consent_seed"));
        if (database.Provider == DatabaseProvider.Sqlite && File.Exists(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource))
        {
            Console.Error.WriteLine($"{database} exists already: seed a new file.");
            return 2;
        }
        if (server is not null && !await CreatePostgresDatabaseAsync(server, target ?? "consent_seed")) return 2;

        Console.WriteLine($"Seeding {count:N0} records into {database}");
        var clock = Stopwatch.StartNew();
        await using var services = Services(database);
        await ConsentDatabase.InitializeAsync(services);
        var dbFactory = services.GetRequiredService<IDbContextFactory<ConsentDbContext>>();
        var start = EndDay.AddDays(-365).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await PublishSecondVersionAsync(dbFactory, start);
        Console.WriteLine($"  created and migrated in {clock.Elapsed.TotalSeconds:N1} s");

        var rollups = new Rollups();
        var leaves = new Leaves(await PolicyHashesAsync(dbFactory));
        var records = RecordSize.Records(count, policyVersions: 2, start).Select(rollups.Add).Select(leaves.Add);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var columns = Columns(db);
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                SqliteConnection.ClearAllPools();
                await LoadSqliteAsync(database.ConnectionString, columns, records, count);
            }
            else
            {
                await LoadPostgresAsync(database.ConnectionString, columns, records, count);
            }
        }
        Console.WriteLine($"  records stored and indexed at {clock.Elapsed.TotalSeconds:N1} s");
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            db.DecisionRollups.AddRange(rollups.Decisions());
            db.CategoryRollups.AddRange(rollups.Categories());
            db.BannerViewRollups.AddRange(rollups.BannerViews());
            db.LogNodes.AddRange(leaves.Nodes);
            var head = await db.LogHead.SingleAsync();
            head.Size = leaves.Frontier.Size;
            head.Frontier = leaves.Frontier.ToBytes();
            head.UpdatedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }
        Console.WriteLine($"Seeded {count:N0} records in {clock.Elapsed.TotalSeconds:N0} s; {await SizeAsync(database, dbFactory) / 1e9:N2} GB on disk");
        return 0;
    }

    internal static ConsentDatabaseOptions Target(string? server, string target) => server is null
        ? new ConsentDatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={target}")
        : new ConsentDatabaseOptions(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(server) { Database = target }.ConnectionString);

    internal static ServiceProvider Services(ConsentDatabaseOptions database) => new ServiceCollection()
        .AddConsentCore(database, new ConfigurationBuilder().Build())
        .BuildServiceProvider();

    private static async Task<bool> CreatePostgresDatabaseAsync(string server, string name)
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = name } } };
        if (await exists.ExecuteScalarAsync() is not null)
        {
            Console.Error.WriteLine($"The database {name} exists already: seed a new one (DROP DATABASE \"{name}\" first).");
            return false;
        }
        await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin).ExecuteNonQueryAsync();
        return true;
    }

    /// <summary>Version 1 published at the start of the year, version 2 (analytics changed) half-way through.</summary>
    private static async Task PublishSecondVersionAsync(IDbContextFactory<ConsentDbContext> dbFactory, DateTime start)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var first = await db.PolicyVersions.SingleAsync(p => p.Number == 1);
        first.PublishedAt = start;
        db.PolicyVersions.Add(new PolicyVersion
        {
            Number = 2,
            PublishedAt = start.AddDays(182.5),
            PublishedBy = "privacy@example.org",
            Summary = "Analytics now keeps its cookies for 13 months instead of 25.",
            ChangedCategories = ["analytics"],
            Snapshot = first.Snapshot,
            ContentHash = first.ContentHash,
        });
        await db.SaveChangesAsync();
    }

    private static async Task<Dictionary<int, byte[]>> PolicyHashesAsync(IDbContextFactory<ConsentDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.PolicyVersions.ToDictionaryAsync(p => p.Number, p => p.ContentHash!);
    }

    /// <summary>Each record's leaf as the writer appends it (LogAppender), in the order they are stored, and the subtrees the log keeps.</summary>
    private sealed class Leaves(Dictionary<int, byte[]> policyHashes)
    {
        public Frontier Frontier { get; } = new();

        public List<LogNode> Nodes { get; } = [];

        public ConsentRecord Add(ConsentRecord record)
        {
            LogAppender.PrepareLeaves([record], v => policyHashes[v]);
            record.LogIndex = Frontier.Size;
            Frontier.Append(record.LeafHash!, (level, index, hash) =>
            {
                if (level >= LogTree.StoredFromLevel) Nodes.Add(new LogNode { Level = level, Index = index, Hash = hash });
            });
            return record;
        }
    }

    /// <summary>The log's columns as the model maps them, each with the converter that makes its stored value.</summary>
    private static IReadOnlyList<(string Name, Func<ConsentRecord, object?> Value)> Columns(ConsentDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(ConsentRecord))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return entity.GetProperties().Select(p =>
        {
            var getter = p.GetGetter();
            var converter = p.GetTypeMapping().Converter;
            Func<ConsentRecord, object?> value = converter is null ? r => getter.GetClrValue(r) : r => converter.ConvertToProvider(getter.GetClrValue(r));
            return (p.GetColumnName(table)!, value);
        }).ToList();
    }

    private static async Task LoadSqliteAsync(string connectionString, IReadOnlyList<(string Name, Func<ConsentRecord, object?> Value)> columns, IEnumerable<ConsentRecord> records, int count)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        // For the load only: no journal, no fsync, a big cache. The file goes back to write-ahead logging afterwards.
        await ExecuteAsync(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY;");
        var indexes = await DropIndexesAsync(connection, "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ConsentRecords' AND sql IS NOT NULL",
            IndexName);

        // One prepared statement, its parameters set again for each row: SQLite finds a parameter by name in a linear search, so
        // many rows per statement (hundreds of parameters) cost more than they save.
        var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO \"ConsentRecords\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        var written = 0;
        var clock = Stopwatch.StartNew();
        foreach (var chunk in records.Chunk(Transaction))
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            insert.Transaction = transaction;
            foreach (var record in chunk)
            {
                for (var i = 0; i < columns.Count; i++) parameters[i].Value = columns[i].Value(record) ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }
            await transaction.CommitAsync();
            Progress(written += chunk.Length, count, clock);
        }
        Console.WriteLine($"  records stored; building the indexes");
        foreach (var sql in indexes) await ExecuteAsync(connection, sql);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;");
    }

    private static async Task LoadPostgresAsync(string connectionString, IReadOnlyList<(string Name, Func<ConsentRecord, object?> Value)> columns, IEnumerable<ConsentRecord> records, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var indexes = await DropIndexesAsync(connection, "SELECT indexdef FROM pg_indexes WHERE tablename = 'ConsentRecords' AND indexname NOT LIKE 'PK%'",
            IndexName);
        var written = 0;
        var clock = Stopwatch.StartNew();
        foreach (var chunk in records.Chunk(Transaction * 5))
        {
            await using (var copy = await connection.BeginBinaryImportAsync($"COPY \"ConsentRecords\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var record in chunk)
                {
                    await copy.StartRowAsync();
                    foreach (var column in columns)
                    {
                        if (column.Value(record) is { } value) await copy.WriteAsync(value);
                        else await copy.WriteNullAsync();
                    }
                }
                await copy.CompleteAsync();
            }
            Progress(written += chunk.Length, count, clock);
        }
        await ExecuteAsync(connection, "SET maintenance_work_mem = '1GB'");
        foreach (var sql in indexes) await ExecuteAsync(connection, sql);
        await ExecuteAsync(connection, "ANALYZE \"ConsentRecords\"");
    }

    /// <summary>Drops the indexes the query finds (their CREATE statements) and returns the statements, to build them once after the load.</summary>
    private static async Task<List<string>> DropIndexesAsync(DbConnection connection, string query, Func<string, string> drop)
    {
        var indexes = new List<string>();
        var find = connection.CreateCommand();
        find.CommandText = query;
        await using (var reader = await find.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) indexes.Add(reader.GetString(0));
        }
        foreach (var sql in indexes) await ExecuteAsync(connection, drop(sql));
        return indexes;
    }

    private static string IndexName(string createIndex) => "DROP INDEX " + createIndex.Split(' ').SkipWhile(t => t != "INDEX").ElementAt(1);

    private static void Progress(int written, int count, Stopwatch clock)
    {
        if (written % 1_000_000 < Transaction || written == count) Console.WriteLine($"  {written:N0} of {count:N0} at {clock.Elapsed.TotalSeconds:N0} s");
    }

    private static async Task<long> SizeAsync(ConsentDatabaseOptions database, IDbContextFactory<ConsentDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            return await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync();
        }
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        return new FileInfo(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource).Length;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The rollups the records add up to, kept as they stream past; banner views are decisions on the banner plus those who ignored it.</summary>
    private sealed class Rollups
    {
        private readonly Dictionary<(DateOnly Day, int Version, string Language, ConsentMethod Method, ConsentSource Source), long> decisions = [];
        private readonly Dictionary<(DateOnly Day, int Version, string Language, string Category), (long Decisions, long Granted)> categories = [];

        public ConsentRecord Add(ConsentRecord record)
        {
            var day = RollupWrites.DayOf(record.RecordedAt);
            var key = (day, record.PolicyVersion, record.Language, record.Method, record.Source);
            decisions[key] = decisions.GetValueOrDefault(key) + 1;
            foreach (var d in record.Decisions)
            {
                var (answered, granted) = categories.GetValueOrDefault((day, record.PolicyVersion, record.Language, d.CategoryKey));
                categories[(day, record.PolicyVersion, record.Language, d.CategoryKey)] = (answered + 1, granted + (d.Granted ? 1 : 0));
            }
            return record;
        }

        public IEnumerable<DecisionRollup> Decisions() => decisions.Select(d => new DecisionRollup
        {
            Day = d.Key.Day,
            PolicyVersion = d.Key.Version,
            Language = d.Key.Language,
            Method = d.Key.Method,
            Source = d.Key.Source,
            Count = d.Value,
        });

        public IEnumerable<CategoryRollup> Categories() => categories.Select(c => new CategoryRollup
        {
            Day = c.Key.Day,
            PolicyVersion = c.Key.Version,
            Language = c.Key.Language,
            CategoryKey = c.Key.Category,
            Decisions = c.Value.Decisions,
            Granted = c.Value.Granted,
        });

        /// <summary>About 7 in 10 who see the banner answer it.</summary>
        public IEnumerable<BannerViewRollup> BannerViews() => decisions.Where(d => d.Key.Source == ConsentSource.Banner)
            .GroupBy(d => (d.Key.Day, d.Key.Version, d.Key.Language))
            .Select(g => new BannerViewRollup { Day = g.Key.Day, PolicyVersion = g.Key.Version, Language = g.Key.Language, Count = g.Sum(d => d.Value) * 10 / 7 });
    }
}
