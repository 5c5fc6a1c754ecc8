using System.Globalization;
using Consent.Core.Consents;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class ConsentLogTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : ConsentLogTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ConsentLogTests(TestEngine.Postgres);

    private static VisitorContext Visitor(string? cookie = null) =>
        new(cookie, "fr-FR,fr;q=0.9", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");

    private ConsentService consents = null!;
    private ConsentLog log = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        consents = db.Get<ConsentService>();
        log = db.Get<ConsentLog>();
    }

    private async Task<ConsentReceipt> RecordAsync(ConsentMethod method, string? cookie = null, params string[] granted) =>
        await consents.RecordReceiptAsync(new()
        {
            Method = method,
            Source = ConsentSource.Banner,
            PolicyVersion = (await db.Get<SnapshotService>().GetAsync()).PolicyVersion,
            Granted = [.. granted],
        }, Visitor(cookie));

    [Fact]
    public async Task A_consent_id_finds_the_visitors_whole_history_newest_first()
    {
        var first = await RecordAsync(ConsentMethod.AcceptAll);
        db.Time.Advance(TimeSpan.FromDays(3));
        var second = await RecordAsync(ConsentMethod.Custom, first.CookieValue, "analytics");
        db.Time.Advance(TimeSpan.FromDays(3));
        var third = await RecordAsync(ConsentMethod.Withdrawal, second.CookieValue);
        await RecordAsync(ConsentMethod.RejectAll); // someone else

        var found = await log.SearchAsync(second.Record.Id.ToString("D"));

        Assert.NotNull(found);
        Assert.Equal(first.Record.VisitorId, found.VisitorId);
        Assert.Equal(second.Record.Id, found.MatchedConsentId);
        Assert.Equal([third.Record.Id, second.Record.Id, first.Record.Id], found.History.Select(e => e.ConsentId));
        var custom = found.History[1];
        Assert.Equal(ConsentMethod.Custom, custom.Method);
        Assert.Equal(1, custom.PolicyVersion);
        Assert.Equal(["analytics", "functional"], custom.Granted);
        Assert.Equal(["social-media"], custom.Denied);
        Assert.Equal("fr", custom.Language); // negotiated among the languages the center speaks: the browser prefers French
    }

    [Fact]
    public async Task A_visitor_id_finds_the_history_and_unknown_or_malformed_ids_say_so()
    {
        var receipt = await RecordAsync(ConsentMethod.RejectAll);

        var byVisitor = await log.SearchAsync(" " + receipt.Record.VisitorId!.ToUpperInvariant() + " ");
        Assert.Equal(receipt.Record.Id, Assert.Single(byVisitor!.History).ConsentId);
        Assert.Null(byVisitor.MatchedConsentId);

        var byConsentWithoutDashes = await log.SearchAsync(receipt.Record.Id.ToString("N"));
        Assert.Equal(receipt.Record.Id, byConsentWithoutDashes!.MatchedConsentId);

        Assert.Null(await log.SearchAsync(Guid.NewGuid().ToString()));
        var error = await Assert.ThrowsAsync<FormatException>(() => log.SearchAsync("alice@example.org"));
        Assert.Contains("consent id", error.Message);
    }

    [Fact]
    public async Task The_export_holds_exactly_the_records_of_the_chosen_days_and_is_audited()
    {
        var start = db.Time.GetUtcNow();
        var before = await RecordAsync(ConsentMethod.AcceptAll);
        db.Time.Advance(TimeSpan.FromDays(1));
        var inside1 = await RecordAsync(ConsentMethod.Custom, null, "social-media");
        db.Time.Advance(TimeSpan.FromSeconds(1));
        var inside2 = await RecordAsync(ConsentMethod.RejectAll);
        db.Time.Advance(TimeSpan.FromDays(1));
        var after = await RecordAsync(ConsentMethod.AcceptAll);
        var day = DateOnly.FromDateTime(start.UtcDateTime).AddDays(1);

        var csv = new StringWriter();
        var count = await log.ExportCsvAsync(day, day, "analyst@example.org", csv);

        var lines = csv.ToString().TrimEnd().Split(Environment.NewLine);
        Assert.Equal(2, count);
        Assert.Equal(string.Join(',', ConsentLog.CsvColumns), lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(inside1.Record.Id.ToString("D"), lines[1]);
        Assert.Contains(",Custom,Banner,functional social-media,analytics,fr,Firefox", lines[1]);
        Assert.Contains(inside2.Record.Id.ToString("D"), lines[2]);
        Assert.DoesNotContain(before.Record.Id.ToString("D"), csv.ToString());
        Assert.DoesNotContain(after.Record.Id.ToString("D"), csv.ToString());

        await using var context = db.NewContext();
        var audit = await context.AuditEntries.SingleAsync(a => a.Action == "consents.export");
        Assert.Equal("analyst@example.org", audit.Actor);
    }

    private static readonly string[] Browsers = ["Chrome", "Firefox", "Safari", "a \"b\", c"];

    [Fact]
    public async Task The_export_of_varied_records_is_byte_for_byte_the_entry_by_entry_export()
    {
        var writer = db.Get<ConsentWriter>();
        var day = DateOnly.FromDateTime(TestDatabase.Start.UtcDateTime).AddDays(1);
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var random = new Random(11);
        var odd = new[] { "en", "fr", "a,b", "say \"hi\"", "=1+1", "-x", "@x", "\tx" };
        await using (var context = db.NewContext())
        {
            // A record answers a published version: its leaf names that version's content hash.
            context.PolicyVersions.AddRange(StoredPolicy.Version(2, midnight, "Version 2."), StoredPolicy.Version(3, midnight, "Version 3."));
            await context.SaveChangesAsync();
        }
        await db.Get<SnapshotService>().RefreshAsync();
        for (var i = 0; i < 200; i++)
        {
            // Some records share a moment, so the order by id breaks the tie; the day's first microsecond and its last are in.
            var at = i switch { 0 => midnight, 1 => midnight.AddDays(1).AddTicks(-10), _ => midnight.AddTicks(random.NextInt64(TimeSpan.TicksPerDay / 10) * 10) };
            if (i % 7 == 0 && i > 1) at = midnight.AddHours(12);
            await writer.AppendAsync(new ConsentRecord
            {
                Id = Guid.CreateVersion7(at),
                VisitorId = ConsentCookie.NewVisitorId(),
                PolicyVersion = 1 + i % 3,
                Method = (ConsentMethod)(i % 4),
                Source = (ConsentSource)(i % 3),
                RecordedAt = at,
                ExpiresAt = at.AddMonths(1 + i % 13).AddTicks(i * 10),
                Language = odd[i % odd.Length],
                BrowserFamily = i % 5 == 0 ? "=cmd|' /C calc'!A0" : Browsers[i % 4],
                Site = (i % 4) switch { 0 => null, 1 => "shop", 2 => "+site", _ => "docs,blog" },
                Decisions = [.. new[] { "functional", "social-media", "analytics", "zeta", "=formula" }.Take(1 + i % 5)
                    .Select(k => new ConsentDecision { CategoryKey = k, Granted = k == "functional" || random.Next(2) == 0 })],
            });
        }
        await RecordAsync(ConsentMethod.AcceptAll); // the day before: outside the range
        db.Time.Advance(TimeSpan.FromDays(2));
        await RecordAsync(ConsentMethod.RejectAll); // the day after

        var csv = new StringWriter();
        var count = await log.ExportCsvAsync(day, day, "analyst@example.org", csv);

        Assert.Equal(200, count);
        Assert.Equal(await EntryByEntryAsync(day), csv.ToString());
    }

    /// <summary>The export as it was written before it read rows with a bare data reader: each record through EF Core, made a log entry, joined.</summary>
    private async Task<string> EntryByEntryAsync(DateOnly day)
    {
        var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = start.AddDays(1);
        static string Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await using var context = db.NewContext();
        var records = await context.ConsentRecords.AsNoTracking()
            .Where(r => r.RecordedAt >= start && r.RecordedAt < end)
            .OrderBy(r => r.RecordedAt).ThenBy(r => r.Id)
            .ToListAsync();
        var csv = new StringWriter();
        csv.WriteLine(string.Join(',', ConsentLog.CsvColumns));
        foreach (var e in records.Select(ConsentLogEntry.Of))
        {
            csv.WriteLine(string.Join(',',
                e.ConsentId.ToString("D"), e.VisitorId, Utc(e.RecordedAt), Utc(e.ExpiresAt), e.PolicyVersion.ToString(CultureInfo.InvariantCulture),
                e.Method, e.Source, ConsentLog.Csv(string.Join(' ', e.Granted)), ConsentLog.Csv(string.Join(' ', e.Denied)),
                ConsentLog.Csv(e.Language), ConsentLog.Csv(e.BrowserFamily), ConsentLog.Csv(e.Site ?? "")));
        }
        return csv.ToString();
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(1)", "'=HYPERLINK(1)")]
    public void Csv_fields_are_quoted_and_formulas_defused(string value, string expected) =>
        Assert.Equal(expected, ConsentLog.Csv(value));
}
