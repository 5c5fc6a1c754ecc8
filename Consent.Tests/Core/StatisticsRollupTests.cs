using Consent.Core.Consents;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public class StatisticsRollupTests : DatabaseTest
{
    private static readonly string[] Optional = ["analytics", "social-media"];

    /// <summary>The decision rollup as "day|version|language|method|source=count" lines, read straight from its table.</summary>
    private const string DecisionRollupRows = """
        SELECT Day || '|' || PolicyVersion || '|' || Language || '|' || Method || '|' || Source || '=' || Count FROM DecisionRollups
        """;

    /// <summary>The same, counted again from the log itself.</summary>
    private const string DecisionRecount = """
        SELECT substr(RecordedAt, 1, 10) || '|' || PolicyVersion || '|' || Language || '|' || Method || '|' || Source || '=' || COUNT(*)
        FROM ConsentRecords
        GROUP BY substr(RecordedAt, 1, 10), PolicyVersion, Language, Method, Source
        """;

    private const string CategoryRollupRows = """
        SELECT Day || '|' || PolicyVersion || '|' || Language || '|' || CategoryKey || '=' || Decisions || '/' || Granted FROM CategoryRollups
        """;

    private const string CategoryRecount = """
        SELECT substr(r.RecordedAt, 1, 10) || '|' || r.PolicyVersion || '|' || r.Language || '|' || d.CategoryKey || '=' || COUNT(*) || '/' || SUM(d.Granted)
        FROM ConsentDecisions d JOIN ConsentRecords r ON r.Id = d.ConsentRecordId
        GROUP BY substr(r.RecordedAt, 1, 10), r.PolicyVersion, r.Language, d.CategoryKey
        """;

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = new SqliteConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private async Task PublishVersionAsync(int number)
    {
        await using var context = db.NewContext();
        context.PolicyVersions.Add(new() { Number = number, PublishedAt = db.Time.GetUtcNow().UtcDateTime, Summary = $"Version {number}." });
        await context.SaveChangesAsync();
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
        return [.. await Task.WhenAll(drawn.Select(d => Task.Run(() => consents.RecordAsync(
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

        var recount = await RowsAsync(DecisionRecount);
        Assert.Equal(recount, await RowsAsync(DecisionRollupRows));
        Assert.Equal(await RowsAsync(CategoryRecount), await RowsAsync(CategoryRollupRows));
        // The data set really is varied, and the writer really grouped choices into shared transactions.
        Assert.Equal(5, recount.Select(r => r[..10]).Distinct().Count());
        Assert.Equal(["1", "2", "3"], recount.Select(r => r.Split('|')[1]).Distinct().Order());
        Assert.Equal(["de", "en", "fr", "nl"], recount.Select(r => r.Split('|')[2]).Distinct().Order());
        Assert.Equal(Enum.GetNames<ConsentMethod>().Order(), recount.Select(r => r.Split('|')[3]).Distinct().Order());
        Assert.InRange(writer.Transactions, 1, 5 * 115 - 1);
    }

    [Fact]
    public async Task A_record_that_fails_inside_a_batch_leaves_the_rollups_counting_only_what_was_stored()
    {
        var consents = db.Get<ConsentService>();
        var first = await consents.RecordAsync(
            new ConsentSubmission { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 }, new VisitorContext(null, "en", null));
        var duplicate = Record(first.Record.RecordedAt, 1, "fr", ConsentMethod.RejectAll, ConsentSource.Banner);
        duplicate.Id = first.Record.Id;

        var others = Enumerable.Range(0, 30).Select(_ => Task.Run(() => consents.RecordAsync(
            new ConsentSubmission { Method = ConsentMethod.RejectAll, Source = ConsentSource.Banner, PolicyVersion = 1 }, new VisitorContext(null, "en", null)))).ToList();
        var bad = Task.Run(() => db.Get<ConsentWriter>().AppendAsync(duplicate));

        await Assert.ThrowsAsync<DbUpdateException>(() => bad);
        await Task.WhenAll(others);
        Assert.Equal(await RowsAsync(DecisionRecount), await RowsAsync(DecisionRollupRows));
        Assert.Equal(await RowsAsync(CategoryRecount), await RowsAsync(CategoryRollupRows));
        Assert.Equal(["2026-11-29|1|en|AcceptAll|Banner=1", "2026-11-29|1|en|RejectAll|Banner=30"], await RowsAsync(DecisionRollupRows));
    }

    [Fact]
    public async Task A_log_that_predates_the_rollups_is_counted_into_them_once_at_start()
    {
        var writer = db.Get<ConsentWriter>();
        var now = db.Time.GetUtcNow().UtcDateTime;
        await writer.AppendAsync(Record(now, 1, "fr", ConsentMethod.Custom, ConsentSource.Banner, "analytics"));
        await writer.AppendAsync(Record(now.AddDays(1), 1, "en", ConsentMethod.AcceptAll, ConsentSource.PreferenceCenter, Optional));
        await using (var context = db.NewContext())
        {
            await context.Database.ExecuteSqlRawAsync("DELETE FROM DecisionRollups; DELETE FROM CategoryRollups;");
        }

        await using (var context = db.NewContext())
        {
            await RollupWrites.BackfillAsync(context);
            await RollupWrites.BackfillAsync(context); // a second start finds them filled and adds nothing
        }

        Assert.Equal(await RowsAsync(DecisionRecount), await RowsAsync(DecisionRollupRows));
        Assert.Equal(await RowsAsync(CategoryRecount), await RowsAsync(CategoryRollupRows));
        Assert.Equal(2, (await RowsAsync(DecisionRollupRows)).Count);
    }
}
