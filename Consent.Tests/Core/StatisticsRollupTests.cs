using Consent.Core.Consents;
using Consent.Core.Snapshot;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class StatisticsRollupTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : StatisticsRollupTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : StatisticsRollupTests(TestEngine.Postgres);

    private static readonly string[] Optional = ["analytics", "social-media"];

    /// <summary>The decision rollup as sorted "day|version|language|method|source=count" lines, read straight from its table.</summary>
    private async Task<List<string>> DecisionRollupRowsAsync()
    {
        await using var context = db.NewContext();
        return Sorted((await context.DecisionRollups.AsNoTracking().ToListAsync())
            .Select(r => $"{r.Day:yyyy-MM-dd}|{r.PolicyVersion}|{r.Language}|{r.Method}|{r.Source}={r.Count}"));
    }

    /// <summary>The same, counted again from the log itself.</summary>
    private async Task<List<string>> DecisionRecountAsync() => Sorted((await LogAsync())
        .GroupBy(r => (Day: DateOnly.FromDateTime(r.RecordedAt), r.PolicyVersion, r.Language, r.Method, r.Source))
        .Select(g => $"{g.Key.Day:yyyy-MM-dd}|{g.Key.PolicyVersion}|{g.Key.Language}|{g.Key.Method}|{g.Key.Source}={g.Count()}"));

    private async Task<List<string>> CategoryRollupRowsAsync()
    {
        await using var context = db.NewContext();
        return Sorted((await context.CategoryRollups.AsNoTracking().ToListAsync())
            .Select(r => $"{r.Day:yyyy-MM-dd}|{r.PolicyVersion}|{r.Language}|{r.CategoryKey}={r.Decisions}/{r.Granted}"));
    }

    private async Task<List<string>> CategoryRecountAsync() => Sorted((await LogAsync())
        .SelectMany(r => r.Decisions, (r, d) => (Day: DateOnly.FromDateTime(r.RecordedAt), r.PolicyVersion, r.Language, d.CategoryKey, d.Granted))
        .GroupBy(d => (d.Day, d.PolicyVersion, d.Language, d.CategoryKey))
        .Select(g => $"{g.Key.Day:yyyy-MM-dd}|{g.Key.PolicyVersion}|{g.Key.Language}|{g.Key.CategoryKey}={g.Count()}/{g.Count(d => d.Granted)}"));

    private async Task<List<ConsentRecord>> LogAsync()
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.AsNoTracking().ToListAsync();
    }

    private static List<string> Sorted(IEnumerable<string> rows) => [.. rows.Order(StringComparer.Ordinal)];

    private async Task PublishVersionAsync(int number)
    {
        await using var context = db.NewContext();
        context.PolicyVersions.Add(StoredPolicy.Version(number, db.Time.GetUtcNow().UtcDateTime, $"Version {number}."));
        await context.SaveChangesAsync();
        // Behind the services' back: the snapshot in memory is read again, as a publication would have it.
        await db.Get<SnapshotService>().RefreshAsync();
    }

    /// <summary>A varied choice, drawn in advance so that concurrent tasks share no random generator.</summary>
    private static (ConsentSubmission Submission, bool Withdraws) Draw(Random random, int version)
    {
        var method = (ConsentMethod)random.Next(4);
        return (new ConsentSubmission
        {
            Method = method,
            Source = method == ConsentMethod.Withdrawal || random.Next(4) == 0 ? ConsentSource.PreferenceCenter : ConsentSource.Banner,
            PolicyVersion = version,
            Granted = method == ConsentMethod.Custom ? Optional.Where(_ => random.Next(2) == 0).ToList() : [],
        }, method == ConsentMethod.Withdrawal);
    }

    /// <summary>Many choices at once through the real service, so that the writer groups them into shared transactions.</summary>
    private async Task<List<ConsentReceipt>> ChooseConcurrentlyAsync(Random random, int count, int version, IReadOnlyList<ConsentReceipt> earlier)
    {
        var consents = db.Get<ConsentService>();
        var drawn = Enumerable.Range(0, count).Select(i => (Choice: Draw(random, version), Cookie: earlier.Count > 0 ? earlier[i % earlier.Count].CookieValue : null)).ToList();
        return [.. await Task.WhenAll(drawn.Select(d => Task.Run(() => consents.RecordReceiptAsync(
            d.Choice.Submission,
            new VisitorContext(d.Choice.Withdraws ? d.Cookie : null, "en-GB,en;q=0.8", "Firefox/128.0")))))];
    }

    /// <summary>A record in a language the center does not offer yet, appended straight through the writer.</summary>
    private static ConsentRecord Record(DateTime at, int version, string language, ConsentMethod method, ConsentSource source, params string[] granted) => new()
    {
        Id = Guid.CreateVersion7(at),
        VisitorId = ConsentCookie.NewVisitorId(),
        PolicyVersion = version,
        Method = method,
        Source = source,
        RecordedAt = at,
        ExpiresAt = at.AddMonths(6),
        Language = language,
        BrowserFamily = "Chrome",
        Decisions = [new() { CategoryKey = "functional", Granted = true }, .. Optional.Select(k => new ConsentDecision { CategoryKey = k, Granted = granted.Contains(k) })],
    };

    [Fact]
    public async Task Rollups_equal_a_recount_of_the_log_after_many_varied_and_concurrent_choices()
    {
        var random = new Random(20261129);
        var writer = db.Get<ConsentWriter>();
        var languages = new[] { "fr", "de", "nl" };

        var receipts = new List<ConsentReceipt>();
        var direct = new List<Task>();
        foreach (var (day, version) in new[] { (0, 1), (1, 1), (2, 2), (3, 2), (4, 3) })
        {
            if (day > 0) db.Time.Advance(TimeSpan.FromDays(1));
            if (version > 1 && receipts.All(r => r.Record.PolicyVersion < version)) await PublishVersionAsync(version);
            receipts.AddRange(await ChooseConcurrentlyAsync(random, 60, version, receipts.Where(r => r.Record.PolicyVersion == version).ToList()));
            receipts.AddRange(await ChooseConcurrentlyAsync(random, 40, version, receipts.Where(r => r.Record.PolicyVersion == version).ToList()));
            var now = db.Time.GetUtcNow().UtcDateTime;
            direct.AddRange(Enumerable.Range(0, 15).Select(i => Task.Run(() => writer.AppendAsync(Record(
                now, version, languages[i % languages.Length], (ConsentMethod)(i % 4), (ConsentSource)(i % 2), Optional.Take(i % 3).ToArray())))));
        }
        await Task.WhenAll(direct);

        var recount = await DecisionRecountAsync();
        Assert.Equal(recount, await DecisionRollupRowsAsync());
        Assert.Equal(await CategoryRecountAsync(), await CategoryRollupRowsAsync());
        // The data set really is varied, and the writer really grouped choices into shared transactions.
        Assert.Equal(5, recount.Select(r => r[..10]).Distinct().Count());
        Assert.Equal(["1", "2", "3"], recount.Select(r => r.Split('|')[1]).Distinct().Order());
        Assert.Equal(["de", "en", "fr", "nl"], recount.Select(r => r.Split('|')[2]).Distinct().Order());
        Assert.Equal(["AcceptAll", "Custom", "RejectAll", "Withdrawal"], recount.Select(r => r.Split('|')[3]).Distinct().Order());
        Assert.InRange(writer.Transactions, 1, 5 * 115 - 1);
    }

    [Fact]
    public async Task A_record_that_fails_inside_a_batch_leaves_the_rollups_counting_only_what_was_stored()
    {
        var consents = db.Get<ConsentService>();
        var first = await consents.RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 }, new VisitorContext(null, "en", null));
        var duplicate = Record(first.Record.RecordedAt, 1, "fr", ConsentMethod.RejectAll, ConsentSource.Banner);
        duplicate.Id = first.Record.Id;

        var others = Enumerable.Range(0, 30).Select(_ => Task.Run(() => consents.RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.RejectAll, Source = ConsentSource.Banner, PolicyVersion = 1 }, new VisitorContext(null, "en", null)))).ToList();
        var bad = Task.Run(() => db.Get<ConsentWriter>().AppendAsync(duplicate));

        await Assert.ThrowsAsync<DbUpdateException>(() => bad);
        await Task.WhenAll(others);
        Assert.Equal(await DecisionRecountAsync(), await DecisionRollupRowsAsync());
        Assert.Equal(await CategoryRecountAsync(), await CategoryRollupRowsAsync());
        Assert.Equal(["2026-11-29|1|en|AcceptAll|Banner=1", "2026-11-29|1|en|RejectAll|Banner=30"], await DecisionRollupRowsAsync());
    }
}
