using Consent.Core.Consents;
using Consent.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public class ConsentRecordStorageTests : DatabaseTest
{
    private async Task<ConsentReceipt> RecordOneAsync() =>
        await db.Get<ConsentService>().RecordAsync(
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
    [InlineData("UPDATE ConsentRecords SET Method = 'RejectAll'")]
    [InlineData("DELETE FROM ConsentRecords")]
    [InlineData("UPDATE ConsentDecisions SET Granted = 0")]
    [InlineData("DELETE FROM ConsentDecisions")]
    public async Task The_database_itself_refuses_to_change_or_delete_records(string sql)
    {
        await RecordOneAsync();
        await using var context = db.NewContext();

        var error = await Assert.ThrowsAsync<SqliteException>(() => context.Database.ExecuteSqlRawAsync(sql));

        Assert.Contains("append-only", error.Message);
        Assert.All(await context.ConsentRecords.AsNoTracking().ToListAsync(), r => Assert.Equal(ConsentMethod.AcceptAll, r.Method));
    }

    [Fact]
    public async Task Concurrent_choices_are_all_stored_in_fewer_transactions_than_choices()
    {
        var receipts = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(RecordOneAsync)));

        await using var context = db.NewContext();
        Assert.Equal(200, await context.ConsentRecords.CountAsync());
        Assert.Equal(600, await context.ConsentRecords.SelectMany(r => r.Decisions).CountAsync());
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
