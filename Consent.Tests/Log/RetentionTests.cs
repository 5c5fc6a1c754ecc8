using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Log;

/// <summary>
/// <c>Consent:RetentionYears</c>: a record recorded that many years ago or more loses its visitor id and salt, as an erasure does,
/// and keeps its leaf and its counts.
/// </summary>
public abstract class RetentionTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : RetentionTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : RetentionTests(TestEngine.Postgres);

    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);

    private Task<ConsentReceipt> ChooseAsync(ConsentMethod method = ConsentMethod.AcceptAll) =>
        db.Get<ConsentService>().RecordReceiptAsync(new() { Method = method, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Chrome/130.0"));

    private async Task<List<ConsentRecord>> StoredAsync()
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.AsNoTracking().OrderBy(r => r.LogIndex).ToListAsync();
    }

    private async Task<List<AuditEntry>> RetentionAuditAsync()
    {
        await using var context = db.NewContext();
        return await context.AuditEntries.AsNoTracking().Where(a => a.Action == "retention.erase").OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>The clock moved to <paramref name="at"/>, which lies ahead.</summary>
    private void MoveTo(DateTime at) => db.Time.Advance(at - db.Time.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task A_record_exactly_retention_years_old_is_erased_and_one_a_microsecond_younger_is_kept()
    {
        var old = await ChooseAsync();
        db.Time.Advance(Microsecond);
        var younger = await ChooseAsync();
        var retention = db.Get<ConsentRetention>();

        MoveTo(old.Record.RecordedAt.AddYears(5));
        var (erased, cutoff) = await retention.EraseExpiredAsync();

        Assert.Equal((1, old.Record.RecordedAt), (erased, cutoff));
        var stored = await StoredAsync();
        Assert.Null(stored.Single(r => r.Id == old.Record.Id).VisitorId);
        Assert.Null(stored.Single(r => r.Id == old.Record.Id).VisitorSalt);
        Assert.Equal(younger.Record.VisitorId, stored.Single(r => r.Id == younger.Record.Id).VisitorId);

        db.Time.Advance(Microsecond);
        Assert.Equal(1, (await retention.EraseExpiredAsync()).Erased);
        Assert.All(await StoredAsync(), r => Assert.Null(r.VisitorId));
    }

    [Fact]
    public async Task Retention_works_through_a_big_log_in_chunks_and_the_tree_still_verifies()
    {
        for (var i = 0; i < 10; i++)
        {
            await ChooseAsync(i % 2 == 0 ? ConsentMethod.AcceptAll : ConsentMethod.RejectAll);
            db.Time.Advance(TimeSpan.FromHours(1));
        }
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ChooseAsync()));
        var kept = await ChooseAsync(); // an hour after the tenth, with the five: not past retention below
        var before = await StoredAsync();
        var retention = new ConsentRetention(db.Get<IDbContextFactory<ConsentDbContext>>(), db.Get<ConsentHistoryService>(), db.Get<IOptions<ConsentOptions>>(),
            db.Time, db.Get<ILogger<ConsentRetention>>())
        { ChunkSize = 3 };

        MoveTo(before[9].RecordedAt.AddYears(5));
        var (erased, _) = await retention.EraseExpiredAsync();

        Assert.Equal(10, erased);
        var stored = await StoredAsync();
        Assert.All(stored.Take(10), s => Assert.Null(s.VisitorId));
        Assert.All(stored.Skip(10), s => Assert.NotNull(s.VisitorId));
        Assert.Equal(before.Select(b => (b.Id, b.LogIndex, Convert.ToHexString(b.LeafHash!), Convert.ToHexString(b.VisitorCommitment!))),
            stored.Select(s => (s.Id, s.LogIndex, Convert.ToHexString(s.LeafHash!), Convert.ToHexString(s.VisitorCommitment!))));
        await using var context = db.NewContext();
        var policyHashes = await context.PolicyVersions.AsNoTracking().ToDictionaryAsync(p => p.Number, p => p.ContentHash!);
        foreach (var record in stored) Assert.Equal(LogLeaf.Hash(record, policyHashes[record.PolicyVersion]), record.LeafHash);
        var head = await db.Get<LogTree>().GetHeadAsync();
        Assert.Equal(await MerkleTree.SubtreeHashAsync(new LeafList(stored.Select(s => s.LeafHash!).ToList()), 0, stored.Count), head.RootHash);
        Assert.Equal(kept.Record.VisitorId, stored[^1].VisitorId);
    }

    [Fact]
    public async Task A_run_that_erased_something_is_in_the_audit_trail_with_its_count_and_cutoff_and_rollups_keep_their_counts()
    {
        await ChooseAsync();
        await ChooseAsync(ConsentMethod.RejectAll);
        await using var context = db.NewContext();
        var counted = await context.DecisionRollups.SumAsync(r => r.Count);
        var retention = db.Get<ConsentRetention>();

        var nothing = await retention.EraseExpiredAsync();
        db.Time.Advance(TimeSpan.FromDays(5 * 366));
        var (erased, cutoff) = await retention.EraseExpiredAsync();
        var again = await retention.EraseExpiredAsync();

        Assert.Equal(0, nothing.Erased);
        Assert.Equal(2, erased);
        Assert.Equal(0, again.Erased);
        var entry = Assert.Single(await RetentionAuditAsync());
        Assert.Equal(("system", "ConsentLog", LogLeaf.Time(cutoff)), (entry.Actor, entry.EntityType, entry.EntityKey));
        Assert.Contains("\"erased\":2", entry.After);
        Assert.Contains($"\"cutoff\":\"{LogLeaf.Time(cutoff)}\"", entry.After);
        Assert.Equal(counted, await context.DecisionRollups.SumAsync(r => r.Count));
        Assert.Equal(2, counted);
    }

    [Fact]
    public async Task Two_instances_running_retention_at_once_share_the_work_and_erase_each_record_once()
    {
        for (var i = 0; i < 6; i++)
        {
            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ChooseAsync()));
            db.Time.Advance(TimeSpan.FromMinutes(1));
        }
        var other = await db.StartAnotherInstanceAsync();
        db.Time.Advance(TimeSpan.FromDays(5 * 366));

        var runs = await Task.WhenAll(db.Get<ConsentRetention>().EraseExpiredAsync(), other.GetRequiredService<ConsentRetention>().EraseExpiredAsync());

        Assert.Equal(120, runs.Sum(r => r.Erased));
        Assert.All(await StoredAsync(), r => Assert.Null(r.VisitorId));
        Assert.Equal(runs.Sum(r => r.Erased), (await RetentionAuditAsync()).Sum(a => int.Parse(System.Text.Json.JsonDocument.Parse(a.After!).RootElement.GetProperty("erased").GetRawText())));
    }
}
