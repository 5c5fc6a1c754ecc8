using System.Data.Common;
using System.Globalization;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

/// <summary>The group commit's multi-row statements store what EF Core would have stored, rollups included.</summary>
public abstract class WriteBatchTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : WriteBatchTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : WriteBatchTests(TestEngine.Postgres);

    private static readonly string[] Optional = ["analytics", "social-media"];

    private ConsentRecord Record(int i, string? site = null) => new()
    {
        Id = Guid.CreateVersion7(db.Time.GetUtcNow()),
        VisitorId = ConsentCookie.NewVisitorId(),
        PolicyVersion = 1,
        Method = (ConsentMethod)(i % 4),
        Source = (ConsentSource)(i % 3),
        RecordedAt = new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234560 + i * 10),
        ExpiresAt = new DateTime(2027, 5, 29, 10, 0, 0, DateTimeKind.Utc).AddTicks(i * 10),
        Language = i % 2 == 0 ? "en" : "fr",
        BrowserFamily = "Firefox",
        Site = site,
        Decisions = [new() { CategoryKey = "functional", Granted = true }, .. Optional.Select((k, n) => new ConsentDecision { CategoryKey = k, Granted = (i + n) % 2 == 0 })],
    };

    private static IdempotencyKey KeyFor(ConsentRecord record) => new()
    {
        KeyHash = [.. record.Id.ToByteArray(), .. record.Id.ToByteArray()],
        RequestHash = [.. Enumerable.Range(0, 32).Select(b => (byte)(b * 7))],
        ConsentId = record.Id,
        CreatedAt = record.RecordedAt,
    };

    private async Task WriteRawAsync(Func<ConsentDbContext, Task> write)
    {
        await using var context = db.NewContext();
        await using var transaction = await context.Database.BeginTransactionAsync();
        await write(context);
        await transaction.CommitAsync();
    }

    /// <summary>Every column of every row as the database holds it (type and value), keyed by the row's first column.</summary>
    private async Task<Dictionary<string, string[]>> StoredRowsAsync(string table)
    {
        await using var context = db.NewContext();
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT * FROM "{table}" """;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, string[]>();
        while (await reader.ReadAsync())
        {
            var values = Enumerable.Range(0, reader.FieldCount).Select(i => Shown(reader, i)).ToArray();
            rows[values[0]] = values;
        }
        return rows;
    }

    private static string Shown(DbDataReader reader, int i) => $"{reader.GetName(i)}=" + reader.GetValue(i) switch
    {
        byte[] bytes => "bytes:" + Convert.ToHexString(bytes),
        DateTime t => $"time:{t:O}/{t.Kind}",
        DBNull => "null",
        var v => $"{v.GetType().Name}:{Convert.ToString(v, CultureInfo.InvariantCulture)}",
    };

    private static string IdColumn(Guid id, TestEngine engine) =>
        "Id=" + (engine == TestEngine.Postgres ? $"Guid:{id}" : "bytes:" + Convert.ToHexString(id.ToByteArray(bigEndian: true)));

    [Fact]
    public async Task A_record_and_its_key_written_by_the_batch_are_stored_byte_for_byte_as_EF_Core_stores_them()
    {
        var byEf = Record(2, site: "shop");
        var byBatch = Record(2, site: "shop");
        byBatch.VisitorId = byEf.VisitorId;
        byBatch.Id = Guid.CreateVersion7(db.Time.GetUtcNow().AddSeconds(1));
        var (efKey, batchKey) = (KeyFor(byEf), KeyFor(byBatch));
        batchKey.ConsentId = byEf.Id;
        await using (var context = db.NewContext())
        {
            context.ConsentRecords.Add(byEf);
            context.IdempotencyKeys.Add(efKey);
            await context.SaveChangesAsync();
        }

        await WriteRawAsync(async context =>
        {
            await BatchStatements.InsertNewAsync(context, [batchKey]);
            await BatchStatements.InsertAsync(context, [byBatch]);
        });

        var records = await StoredRowsAsync("ConsentRecords");
        var (ef, batch) = (records[IdColumn(byEf.Id, Engine)], records[IdColumn(byBatch.Id, Engine)]);
        Assert.Equal(ef[1..], batch[1..]);
        Assert.Contains("Decisions=String:+functional +analytics -social-media", batch);
        var keys = (await StoredRowsAsync("IdempotencyKeys")).Values.ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0][1..], keys[1][1..]);
    }

    [Fact]
    public async Task Records_written_by_the_batch_read_back_through_EF_Core_exactly()
    {
        var written = Enumerable.Range(0, 40).Select(i => Record(i, site: i % 5 == 0 ? "blog" : null)).ToList();

        await WriteRawAsync(context => BatchStatements.InsertAsync(context, written));

        await using var read = db.NewContext();
        var stored = await read.ConsentRecords.AsNoTracking().ToDictionaryAsync(r => r.Id);
        Assert.Equal(40, stored.Count);
        Assert.All(written, w =>
        {
            var r = stored[w.Id];
            Assert.Equal((w.VisitorId, w.PolicyVersion, w.Method, w.Source, w.RecordedAt, w.ExpiresAt, w.Language, w.BrowserFamily, w.Site),
                (r.VisitorId, r.PolicyVersion, r.Method, r.Source, r.RecordedAt, r.ExpiresAt, r.Language, r.BrowserFamily, r.Site));
            Assert.Equal(DateTimeKind.Utc, r.RecordedAt.Kind);
            Assert.Equal(w.Decisions.Select(d => (d.CategoryKey, d.Granted)), r.Decisions.Select(d => (d.CategoryKey, d.Granted)));
        });
    }

    [Fact]
    public async Task More_rows_than_one_statement_may_bind_are_written_in_several_statements()
    {
        var written = Enumerable.Range(0, 6_000).Select(i => Record(i)).ToList();
        Assert.True(written.Count * 11 > BatchStatements.MaxParameters(db.Get<ConsentDatabaseOptions>().Provider));

        await WriteRawAsync(context => BatchStatements.InsertAsync(context, written, rowsPerStatement: int.MaxValue));

        await using var read = db.NewContext();
        Assert.Equal(6_000, await read.ConsentRecords.CountAsync());
    }

    [Fact]
    public async Task Keys_already_stored_are_left_alone_and_only_new_ones_are_returned()
    {
        var first = Enumerable.Range(0, 3).Select(i => KeyFor(Record(i))).ToList();
        await WriteRawAsync(context => BatchStatements.InsertNewAsync(context, first));
        var again = new IdempotencyKey { KeyHash = first[1].KeyHash, RequestHash = new byte[32], ConsentId = Guid.NewGuid(), CreatedAt = DateTime.UtcNow };
        var fresh = KeyFor(Record(9));
        var twiceInOneBatch = new IdempotencyKey { KeyHash = fresh.KeyHash, RequestHash = new byte[32], ConsentId = Guid.NewGuid(), CreatedAt = DateTime.UtcNow };

        IReadOnlyList<IdempotencyKey> inserted = [];
        await WriteRawAsync(async context => inserted = await BatchStatements.InsertNewAsync(context, [again, fresh, twiceInOneBatch]));

        Assert.Same(fresh, Assert.Single(inserted));
        await using var read = db.NewContext();
        var stored = await read.IdempotencyKeys.AsNoTracking().ToListAsync();
        Assert.Equal(4, stored.Count);
        Assert.Equal(first[1].ConsentId, stored.Single(k => k.KeyHash.SequenceEqual(first[1].KeyHash)).ConsentId);
        Assert.Equal(fresh.ConsentId, stored.Single(k => k.KeyHash.SequenceEqual(fresh.KeyHash)).ConsentId);
    }

    [Fact]
    public async Task Rollups_of_two_batches_add_up_in_one_row_per_key()
    {
        var batches = new[] { Enumerable.Range(0, 64).Select(i => Record(i)).ToList(), Enumerable.Range(0, 30).Select(i => Record(i)).ToList() };

        foreach (var batch in batches) await WriteRawAsync(context => RollupWrites.AddDecisionsAsync(context, batch));

        var all = batches.SelectMany(b => b).ToList();
        await using var read = db.NewContext();
        var decisionRows = await read.DecisionRollups.AsNoTracking().ToListAsync();
        Assert.Equal(
            all.GroupBy(r => (r.Language, r.Method, r.Source)).Select(g => $"{g.Key}={g.Count()}").Order(StringComparer.Ordinal),
            decisionRows.Select(r => $"{(r.Language, r.Method, r.Source)}={r.Count}").Order(StringComparer.Ordinal));
        Assert.All(decisionRows, r => Assert.Equal((new DateOnly(2026, 11, 29), 1), (r.Day, r.PolicyVersion)));
        var categoryRows = await read.CategoryRollups.AsNoTracking().ToListAsync();
        Assert.Equal(
            all.SelectMany(r => r.Decisions, (r, d) => (r.Language, d.CategoryKey, d.Granted)).GroupBy(d => (d.Language, d.CategoryKey))
                .Select(g => $"{g.Key}={g.Count()}/{g.Count(d => d.Granted)}").Order(StringComparer.Ordinal),
            categoryRows.Select(r => $"{(r.Language, r.CategoryKey)}={r.Decisions}/{r.Granted}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Banner_views_are_added_to_their_rollup_rows()
    {
        var day = new DateOnly(2026, 11, 29);
        var views = new Dictionary<BannerViewKey, long> { [new(day, 1, "fr")] = 3, [new(day, 1, "en")] = 5 };

        await WriteRawAsync(context => RollupWrites.AddBannerViewsAsync(context, views));
        await WriteRawAsync(context => RollupWrites.AddBannerViewsAsync(context, new Dictionary<BannerViewKey, long> { [new(day, 1, "en")] = 2 }));

        await using var read = db.NewContext();
        Assert.Equal(["en=7", "fr=3"], (await read.BannerViewRollups.AsNoTracking().ToListAsync()).Select(r => $"{r.Language}={r.Count}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Five_hundred_and_twelve_concurrent_choices_are_stored_in_shared_transactions_with_the_right_rollup_totals()
    {
        var consents = db.Get<ConsentService>();
        var visitor = new VisitorContext(null, "fr", null);

        var receipts = await Task.WhenAll(Enumerable.Range(0, 512).Select(i => Task.Run(() => consents.RecordReceiptAsync(new ConsentSubmission
        {
            Method = (ConsentMethod)(i % 3),
            Source = ConsentSource.Banner,
            PolicyVersion = 1,
            Granted = i % 3 == 2 ? ["analytics"] : [],
        }, visitor))));

        await using var read = db.NewContext();
        var log = await read.ConsentRecords.AsNoTracking().ToListAsync();
        Assert.Equal(receipts.Select(r => r.Record.Id).Order(), log.Select(r => r.Id).Order());
        var decisionRows = await read.DecisionRollups.AsNoTracking().ToListAsync();
        Assert.Equal([("AcceptAll", 171L), ("Custom", 170L), ("RejectAll", 171L)],
            decisionRows.Select(r => (r.Method.ToString(), r.Count)).Order());
        var categoryRows = await read.CategoryRollups.AsNoTracking().ToListAsync();
        Assert.Equal([("analytics", 512L, 341L), ("functional", 512L, 512L), ("social-media", 512L, 171L)],
            categoryRows.Select(r => (r.CategoryKey, r.Decisions, r.Granted)).Order());
        Assert.InRange(db.Get<ConsentWriter>().Transactions, 1, 511);
    }
}
