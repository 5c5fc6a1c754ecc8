using System.Data.Common;
using Consent.Core.Consents;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class ConsentRecordStorageTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : ConsentRecordStorageTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ConsentRecordStorageTests(TestEngine.Postgres);

    private async Task<ConsentReceipt> RecordOneAsync() =>
        await db.Get<ConsentService>().RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Chrome/130.0"));

    [Fact]
    public async Task Changing_a_record_through_the_application_is_refused()
    {
        var receipt = await RecordOneAsync();
        await using var context = db.NewContext();
        var record = await context.ConsentRecords.SingleAsync(r => r.Id == receipt.Record.Id);

        record.Method = ConsentMethod.RejectAll;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => context.SaveChangesAsync());
        Assert.Contains("append-only", error.Message);
    }

    [Fact]
    public async Task Deleting_a_record_through_the_application_is_refused()
    {
        var receipt = await RecordOneAsync();
        await using var context = db.NewContext();
        context.ConsentRecords.Remove(await context.ConsentRecords.SingleAsync(r => r.Id == receipt.Record.Id));

        await Assert.ThrowsAsync<InvalidOperationException>(() => context.SaveChangesAsync());
    }

    [Theory]
    [InlineData("""UPDATE "ConsentRecords" SET "Method" = 1""")]
    [InlineData("""UPDATE "ConsentRecords" SET "Decisions" = '+functional -analytics -social-media'""")]
    [InlineData("""DELETE FROM "ConsentRecords" WHERE "PolicyVersion" = 1""")]
    public async Task The_database_itself_refuses_to_change_or_delete_records(string sql)
    {
        await RecordOneAsync();
        await using var context = db.NewContext();

        var error = await Assert.ThrowsAnyAsync<DbException>(() => context.Database.ExecuteSqlRawAsync(sql));

        Assert.Contains("ConsentRecords is append-only", error.Message);
        var stored = Assert.Single(await context.ConsentRecords.AsNoTracking().ToListAsync());
        Assert.Equal(ConsentMethod.AcceptAll, stored.Method);
        Assert.All(stored.Decisions, d => Assert.True(d.Granted));
    }

    [Fact]
    public async Task Emptying_the_records_table_at_once_is_refused()
    {
        await RecordOneAsync();
        await using var context = db.NewContext();
        // Each engine's quickest way to empty a table: TRUNCATE on PostgreSQL, an unconditional DELETE on SQLite.
        var empty = Engine == TestEngine.Postgres ? """TRUNCATE "ConsentRecords" """ : """DELETE FROM "ConsentRecords" """;

        var error = await Assert.ThrowsAnyAsync<DbException>(() => context.Database.ExecuteSqlRawAsync(empty));

        Assert.Contains("ConsentRecords is append-only", error.Message);
        Assert.Equal(1, await context.ConsentRecords.CountAsync());
    }

    [Fact]
    public async Task A_record_keeps_every_decision_inside_it_in_catalogue_order()
    {
        var receipt = await db.Get<ConsentService>().RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.Custom, Source = ConsentSource.Banner, PolicyVersion = 1, Granted = ["social-media"] },
            new VisitorContext(null, "en", "Chrome/130.0"));
        await using var context = db.NewContext();

        var stored = await context.Database.SqlQueryRaw<string>("""SELECT "Decisions" AS "Value" FROM "ConsentRecords" """).SingleAsync();
        var read = await context.ConsentRecords.AsNoTracking().SingleAsync(r => r.Id == receipt.Record.Id);

        Assert.Equal("+functional -analytics +social-media", stored);
        Assert.Equal([("functional", true), ("analytics", false), ("social-media", true)], read.Decisions.Select(d => (d.CategoryKey, d.Granted)));
        Assert.Equal((receipt.Record.VisitorId, receipt.Record.RecordedAt, receipt.Record.ExpiresAt), (read.VisitorId, read.RecordedAt, read.ExpiresAt));
    }

    [Fact]
    public async Task Concurrent_choices_are_all_stored_in_fewer_transactions_than_choices()
    {
        var receipts = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(RecordOneAsync)));

        await using var context = db.NewContext();
        Assert.Equal(200, await context.ConsentRecords.CountAsync());
        Assert.Equal(600, (await context.ConsentRecords.AsNoTracking().ToListAsync()).Sum(r => r.Decisions.Count));
        Assert.Equal(200, receipts.Select(r => r.Record.Id).Distinct().Count());
        Assert.InRange(db.Get<ConsentWriter>().Transactions, 1, 199);
    }

    [Fact]
    public async Task A_record_that_cannot_be_stored_fails_alone_and_the_others_are_stored()
    {
        var first = await RecordOneAsync();
        var duplicate = new ConsentRecord
        {
            Id = first.Record.Id,
            VisitorId = first.Record.VisitorId,
            PolicyVersion = 1,
            Language = "en",
            BrowserFamily = "Chrome",
            Decisions = [new() { CategoryKey = "functional", Granted = true }],
        };
        var writer = db.Get<ConsentWriter>();

        var others = Enumerable.Range(0, 30).Select(_ => Task.Run(RecordOneAsync)).ToList();
        var bad = Task.Run(() => writer.AppendAsync(duplicate));

        await Assert.ThrowsAsync<DbUpdateException>(() => bad);
        await Task.WhenAll(others);
        await using var context = db.NewContext();
        Assert.Equal(31, await context.ConsentRecords.CountAsync());
    }
}
