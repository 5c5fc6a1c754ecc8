using Consent.Core.Audit;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>The app runs retention by itself, on its clock, with the configured <c>Consent:RetentionYears</c>.</summary>
public sealed class RetentionJobTests() : AppTest(TestEngine.Sqlite)
{
    protected override void Configure(IDictionary<string, string> settings) => settings["Consent:RetentionYears"] = "1";

    [Fact]
    public async Task The_app_erases_the_visitor_ids_of_records_older_than_the_configured_years_once_a_day()
    {
        await client.PostChoiceAsync(BannerForm("accept-all"));
        app.Time.Advance(TimeSpan.FromDays(200));
        await client.PostChoiceAsync(BannerForm("reject-all"));

        // A year and a day after the first, the next run finds it past retention, and only it; the clock moves until a run has.
        app.Time.Advance(TimeSpan.FromDays(166));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var runs = await RetentionRunsAsync();
        while (runs.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            app.Time.Advance(TimeSpan.FromHours(1));
            runs = await RetentionRunsAsync();
        }

        var entry = Assert.Single(runs);
        Assert.Contains("\"erased\":1", entry.After);
        Assert.Contains("\"retentionYears\":1", entry.After);
        var stored = await StoredRecordsAsync();
        Assert.Equal([true, false], stored.OrderBy(r => r.RecordedAt).Select(r => r.VisitorId is null));
    }

    private async Task<List<AuditEntry>> RetentionRunsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == "retention.erase").ToListAsync();
    }
}
