using Consent.Core.Consents;
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

    private Task<ConsentReceipt> RecordAsync(ConsentMethod method, string? cookie = null, params string[] granted) =>
        consents.RecordReceiptAsync(new() { Method = method, Source = ConsentSource.Banner, PolicyVersion = 1, Granted = [.. granted] }, Visitor(cookie));

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

        var byVisitor = await log.SearchAsync(" " + receipt.Record.VisitorId.ToUpperInvariant() + " ");
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

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=HYPERLINK(1)", "'=HYPERLINK(1)")]
    public void Csv_fields_are_quoted_and_formulas_defused(string value, string expected) =>
        Assert.Equal(expected, ConsentLog.Csv(value));
}
