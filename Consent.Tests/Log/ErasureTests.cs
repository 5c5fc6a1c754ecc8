using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Log;

/// <summary>A visitor's history: downloaded whole, and erased so that nothing points at them while every leaf and the tree still verify.</summary>
public abstract class ErasureTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : ErasureTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ErasureTests(TestEngine.Postgres);

    private Task<ConsentReceipt> ChooseAsync(ConsentMethod method, string? cookie = null, params string[] granted) =>
        db.Get<ConsentService>().RecordReceiptAsync(new() { Method = method, Source = ConsentSource.Banner, PolicyVersion = 1, Granted = [.. granted] },
            new VisitorContext(cookie, "en", "Chrome/130.0"));

    /// <summary>Three choices of one visitor, a day apart, and one of someone else; returns the first visitor's receipts, oldest first.</summary>
    private async Task<List<ConsentReceipt>> ThreeChoicesAndAnotherVisitorAsync()
    {
        var first = await ChooseAsync(ConsentMethod.AcceptAll);
        db.Time.Advance(TimeSpan.FromDays(1));
        var second = await ChooseAsync(ConsentMethod.Custom, first.CookieValue, "analytics");
        await ChooseAsync(ConsentMethod.RejectAll);
        db.Time.Advance(TimeSpan.FromDays(1));
        var third = await ChooseAsync(ConsentMethod.Withdrawal, second.CookieValue);
        return [first, second, third];
    }

    private async Task<List<ConsentRecord>> StoredAsync()
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.AsNoTracking().OrderBy(r => r.LogIndex).ToListAsync();
    }

    /// <summary>Every leaf hashed again from its stored record, and the root over them, as anyone checking the log would.</summary>
    private async Task AssertTreeVerifiesAsync(List<ConsentRecord> stored)
    {
        await using var context = db.NewContext();
        var policyHashes = await context.PolicyVersions.AsNoTracking().ToDictionaryAsync(p => p.Number, p => p.ContentHash!);
        foreach (var record in stored) Assert.Equal(LogLeaf.Hash(record, policyHashes[record.PolicyVersion]), record.LeafHash);
        var head = await db.Get<LogTree>().GetHeadAsync();
        Assert.Equal(stored.Count, head.Size);
        Assert.Equal(await MerkleTree.SubtreeHashAsync(new LeafList(stored.Select(r => r.LeafHash!).ToList()), 0, stored.Count), head.RootHash);
    }

    [Fact]
    public async Task The_history_holds_every_record_of_the_visitor_newest_first_with_its_policy_hash_and_log_position()
    {
        var mine = await ThreeChoicesAndAnotherVisitorAsync();

        var history = await db.Get<ConsentHistoryService>().GetHistoryAsync(mine[0].Record.VisitorId!);

        Assert.Equal(mine.Select(r => r.Record.Id).Reverse(), history.Select(e => e.ConsentId));
        var custom = history[1];
        Assert.Equal(("custom", "banner", "en", "Chrome", (string?)null, 1L), (custom.Method, custom.Source, custom.Language, custom.Browser, custom.Site, custom.LogIndex));
        Assert.Equal(Convert.ToHexStringLower((await db.Get<SnapshotService>().GetAsync()).PolicyContentHash), custom.PolicyHash);
        Assert.Equal([("functional", true), ("analytics", true), ("social-media", false)], custom.Decisions.Select(d => (d.Category, d.Granted)));
        Assert.Empty(await db.Get<ConsentHistoryService>().GetHistoryAsync(ConsentCookie.NewVisitorId()));
    }

    [Fact]
    public async Task Erasure_unlinks_every_record_of_the_visitor_appends_an_erasure_record_and_the_tree_still_verifies()
    {
        var mine = await ThreeChoicesAndAnotherVisitorAsync();
        var visitorId = mine[0].Record.VisitorId!;
        var before = await StoredAsync();

        var erasure = await db.Get<ConsentHistoryService>().EraseAsync(visitorId, "fr", "Firefox");

        Assert.Equal(3, erasure.Unlinked);
        var stored = await StoredAsync();
        Assert.Equal(5, stored.Count);
        foreach (var id in mine.Select(r => r.Record.Id))
        {
            var record = stored.Single(r => r.Id == id);
            Assert.Null(record.VisitorId);
            Assert.Null(record.VisitorSalt);
            Assert.Equal(before.Single(r => r.Id == id).VisitorCommitment, record.VisitorCommitment);
            Assert.Equal(before.Single(r => r.Id == id).LeafHash, record.LeafHash);
        }
        var other = stored.Single(r => r.Method == ConsentMethod.RejectAll);
        Assert.NotNull(other.VisitorId);
        Assert.NotNull(other.VisitorSalt);
        var appended = stored[^1];
        Assert.Equal(erasure.ErasureRecordId, appended.Id);
        Assert.Equal((ConsentMethod.Erasure, ConsentSource.PreferenceCenter, 1, "fr", "Firefox", 4L), (appended.Method, appended.Source, appended.PolicyVersion, appended.Language, appended.BrowserFamily, appended.LogIndex));
        Assert.Null(appended.VisitorId);
        Assert.Null(appended.VisitorCommitment);
        Assert.Equal([("functional", true), ("analytics", false), ("social-media", false)], appended.Decisions.Select(d => (d.CategoryKey, d.Granted)));
        Assert.Empty(await db.Get<ConsentHistoryService>().GetHistoryAsync(visitorId));
        await AssertTreeVerifiesAsync(stored);
    }

    [Fact]
    public async Task Erasing_again_unlinks_nothing_and_appends_nothing()
    {
        var mine = await ThreeChoicesAndAnotherVisitorAsync();
        var history = db.Get<ConsentHistoryService>();
        await history.EraseAsync(mine[0].Record.VisitorId!, "en", "Chrome");

        var again = await history.EraseAsync(mine[0].Record.VisitorId!, "en", "Chrome");

        Assert.Equal(new ConsentErasure(0, null), again);
        Assert.Equal(5, (await StoredAsync()).Count);
    }

    [Fact]
    public async Task An_erasure_record_is_no_choice_and_leaves_the_rollups_as_they_were()
    {
        var mine = await ThreeChoicesAndAnotherVisitorAsync();
        await using var context = db.NewContext();
        var decisions = await context.DecisionRollups.SumAsync(r => r.Count);
        var answers = await context.CategoryRollups.SumAsync(r => r.Decisions);

        await db.Get<ConsentHistoryService>().EraseAsync(mine[0].Record.VisitorId!, "en", "Chrome");

        Assert.Equal(4, decisions);
        Assert.Equal(decisions, await context.DecisionRollups.SumAsync(r => r.Count));
        Assert.Equal(answers, await context.CategoryRollups.SumAsync(r => r.Decisions));
        Assert.False(await context.DecisionRollups.AnyAsync(r => r.Method == ConsentMethod.Erasure));
    }

    [Fact]
    public async Task The_team_finds_an_erased_record_alone_by_its_consent_id_and_exports_it_without_a_visitor_id()
    {
        var mine = await ThreeChoicesAndAnotherVisitorAsync();
        var visitorId = mine[0].Record.VisitorId!;
        var erasure = await db.Get<ConsentHistoryService>().EraseAsync(visitorId, "en", "Chrome");
        var log = db.Get<ConsentLog>();

        var found = await log.SearchAsync(mine[1].Record.Id.ToString("D"));
        var erasureRecord = await log.SearchAsync(erasure.ErasureRecordId!.Value.ToString("D"));
        var byVisitor = await log.SearchAsync(visitorId);
        var csv = new StringWriter();
        var exported = await log.ExportCsvAsync(DateOnly.FromDateTime(TestDatabase.Start.UtcDateTime), DateOnly.FromDateTime(db.Time.GetUtcNow().UtcDateTime), "analyst@example.org", csv);

        Assert.NotNull(found);
        Assert.Null(found.VisitorId);
        Assert.Equal(mine[1].Record.Id, Assert.Single(found.History).ConsentId);
        Assert.Equal(ConsentMethod.Erasure, Assert.Single(erasureRecord!.History).Method);
        Assert.Null(byVisitor);
        Assert.Equal(5, exported);
        var rows = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(4, rows.Count(r => r.Split(',')[1] == ""));
        Assert.DoesNotContain(visitorId, csv.ToString(), StringComparison.Ordinal);
    }
}
