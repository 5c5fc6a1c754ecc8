using Consent.Core.Consents;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class PlaceholderConsentTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : PlaceholderConsentTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : PlaceholderConsentTests(TestEngine.Postgres);

    private static readonly VisitorContext Visitor = new(null, "en-GB", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");

    [Fact]
    public async Task A_choice_made_on_a_placeholder_is_stored_and_counted_as_a_decision_but_not_a_banner_decision()
    {
        var receipt = await db.Get<ConsentService>().RecordReceiptAsync(new ConsentSubmission
        {
            Method = ConsentMethod.Custom,
            Source = ConsentSource.Placeholder,
            PolicyVersion = 1,
            Granted = ["social-media"],
        }, Visitor);

        await using var context = db.NewContext();
        var stored = await context.ConsentRecords.AsNoTracking().SingleAsync(r => r.Id == receipt.Record.Id);
        Assert.Equal((ConsentMethod.Custom, ConsentSource.Placeholder), (stored.Method, stored.Source));
        var today = DateOnly.FromDateTime(db.Time.GetUtcNow().UtcDateTime);
        var report = await db.Get<StatisticsService>().GetReportAsync(new StatisticsFilter(today, today));
        Assert.Equal((1, 1, 0), (report.Totals.Decisions, report.Totals.Custom, report.Totals.BannerDecisions));
        Assert.Contains(await context.DecisionRollups.AsNoTracking().ToListAsync(), r => r.Source == ConsentSource.Placeholder && r.Count == 1);
    }
}
