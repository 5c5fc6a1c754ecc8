using Consent.Core.Consents;
using Consent.Core.Snapshot;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class StatisticsServiceTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : StatisticsServiceTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : StatisticsServiceTests(TestEngine.Postgres);

    private static readonly VisitorContext Visitor = new(null, "en-GB,en;q=0.9", "Firefox/128.0");
    private static readonly DateOnly Nov29 = new(2026, 11, 29);
    private static readonly DateOnly Nov30 = new(2026, 11, 30);

    private StatisticsService statistics = null!;
    private BannerViewCounter bannerViews = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        statistics = db.Get<StatisticsService>();
        bannerViews = db.Get<BannerViewCounter>();
    }

    private Task<ConsentReceipt> ChooseAsync(ConsentMethod method, ConsentSource source = ConsentSource.Banner, string? cookie = null, int version = 1, params string[] granted) =>
        db.Get<ConsentService>().RecordReceiptAsync(
            new ConsentSubmission { Method = method, Source = source, PolicyVersion = version, Granted = [.. granted] },
            Visitor with { ConsentCookie = cookie });

    private void ShowBanner(int times)
    {
        for (var i = 0; i < times; i++) bannerViews.Count(1, "en");
    }

    private void SetTime(DateTimeOffset at) => db.Time.Advance(at - db.Time.GetUtcNow());

    [Fact]
    public async Task A_choice_at_23_59_59_and_one_at_midnight_fall_on_consecutive_UTC_days()
    {
        SetTime(new DateTimeOffset(2026, 11, 29, 23, 59, 59, TimeSpan.Zero));
        await ChooseAsync(ConsentMethod.AcceptAll);
        ShowBanner(1);
        db.Time.Advance(TimeSpan.FromSeconds(1));
        await ChooseAsync(ConsentMethod.RejectAll);
        ShowBanner(2);

        var both = await statistics.GetReportAsync(new StatisticsFilter(Nov29, Nov30));

        Assert.Equal([(Nov29, 1L, 0L, 1L), (Nov30, 0L, 1L, 2L)],
            both.Days.Select(d => (d.Day, d.Figures.AcceptAll, d.Figures.RejectAll, d.Figures.BannerShown)));
        Assert.Equal((1, 1, 3), (both.Totals.AcceptAll, both.Totals.RejectAll, both.Totals.BannerShown));
    }

    [Fact]
    public async Task A_range_includes_its_first_and_its_last_day_and_nothing_outside()
    {
        await ChooseAsync(ConsentMethod.AcceptAll);                      // Nov 29, 10:00
        SetTime(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        await ChooseAsync(ConsentMethod.RejectAll);                      // Nov 30, 00:00:00
        SetTime(new DateTimeOffset(2026, 12, 1, 23, 59, 59, TimeSpan.Zero));
        await ChooseAsync(ConsentMethod.Custom, granted: "analytics");   // Dec 1, 23:59:59
        db.Time.Advance(TimeSpan.FromSeconds(1));
        await ChooseAsync(ConsentMethod.AcceptAll);                      // Dec 2, 00:00:00

        var onlyNov30 = await statistics.GetReportAsync(new StatisticsFilter(Nov30, Nov30));
        var nov30ToDec1 = await statistics.GetReportAsync(new StatisticsFilter(Nov30, new DateOnly(2026, 12, 1)));
        var all = await statistics.GetReportAsync(new StatisticsFilter(Nov29, new DateOnly(2026, 12, 2)));

        Assert.Equal((0, 1, 0), (onlyNov30.Totals.AcceptAll, onlyNov30.Totals.RejectAll, onlyNov30.Totals.Custom));
        Assert.Equal((0, 1, 1), (nov30ToDec1.Totals.AcceptAll, nov30ToDec1.Totals.RejectAll, nov30ToDec1.Totals.Custom));
        Assert.Equal(4, all.Totals.Decisions);
    }

    [Fact]
    public async Task The_daily_series_has_every_day_of_the_range_with_zeros_where_nothing_happened()
    {
        SetTime(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        await ChooseAsync(ConsentMethod.AcceptAll);

        var report = await statistics.GetReportAsync(StatisticsFilter.LastDays(7, db.Time));

        Assert.Equal(Enumerable.Range(0, 7).Select(i => new DateOnly(2026, 11, 26).AddDays(i)), report.Days.Select(d => d.Day));
        Assert.Equal([0L, 0, 0, 0, 0, 0, 1], report.Days.Select(d => d.Figures.Decisions));
    }

    [Fact]
    public async Task Counts_rates_and_ignored_are_computed_as_defined_on_a_known_data_set()
    {
        ShowBanner(10);
        var accepted = await ChooseAsync(ConsentMethod.AcceptAll);
        await ChooseAsync(ConsentMethod.AcceptAll);
        await ChooseAsync(ConsentMethod.AcceptAll);
        await ChooseAsync(ConsentMethod.RejectAll);
        await ChooseAsync(ConsentMethod.RejectAll);
        await ChooseAsync(ConsentMethod.Custom, granted: "analytics");
        await ChooseAsync(ConsentMethod.Custom, ConsentSource.PreferenceCenter, granted: "analytics");
        await ChooseAsync(ConsentMethod.Withdrawal, ConsentSource.PreferenceCenter, cookie: accepted.CookieValue);

        var totals = (await statistics.GetReportAsync(new StatisticsFilter(Nov29, Nov29))).Totals;

        Assert.Equal((10, 3, 2, 2, 1), (totals.BannerShown, totals.AcceptAll, totals.RejectAll, totals.Custom, totals.Withdrawals));
        Assert.Equal(8, totals.Decisions);
        Assert.Equal(6, totals.BannerDecisions);
        Assert.Equal(4, totals.Ignored);
        Assert.Equal(0.6, totals.InteractionRate!.Value, 10);
        Assert.Equal(0.375, totals.AcceptAllRate!.Value, 10);
        // Analytics: 3 accept all + 2 custom; social media: 3 accept all. Functional is required, so it is not listed.
        Assert.Equal([("analytics", 5L, 8L, 0.625), ("social-media", 3L, 8L, 0.375)],
            totals.Categories.Select(c => (c.Key, c.Granted, c.Decisions, c.Rate!.Value)));
        Assert.Equal(["Analytics", "Social media + embedded videos"], totals.Categories.Select(c => c.Name));
    }

    [Fact]
    public async Task Ignored_never_falls_below_zero_and_the_interaction_rate_never_exceeds_100_percent()
    {
        ShowBanner(1);
        await ChooseAsync(ConsentMethod.AcceptAll);
        await ChooseAsync(ConsentMethod.RejectAll);

        var totals = (await statistics.GetReportAsync(new StatisticsFilter(Nov29, Nov29))).Totals;

        Assert.Equal(0, totals.Ignored);
        Assert.Equal(1.0, totals.InteractionRate);
    }

    [Fact]
    public async Task Rates_without_anything_to_divide_by_are_no_data_rather_than_zero()
    {
        var totals = (await statistics.GetReportAsync(new StatisticsFilter(Nov29, Nov29))).Totals;

        Assert.Equal(0, totals.Decisions);
        Assert.Null(totals.InteractionRate);
        Assert.Null(totals.AcceptAllRate);
        Assert.All(totals.Categories, c => Assert.Null(c.Rate));
    }

    [Fact]
    public async Task Policy_version_and_language_filters_keep_only_their_rollups()
    {
        await ChooseAsync(ConsentMethod.AcceptAll);
        ShowBanner(2);
        await using (var context = db.NewContext())
        {
            context.PolicyVersions.Add(StoredPolicy.Version(2, db.Time.GetUtcNow().UtcDateTime, "Version 2."));
            await context.SaveChangesAsync();
            // Behind the services' back: the snapshot in memory is read again, as a publication would have it.
            await db.Get<SnapshotService>().RefreshAsync();
        }
        await ChooseAsync(ConsentMethod.RejectAll, version: 2);
        await ChooseAsync(ConsentMethod.RejectAll, version: 2);
        await db.Get<ConsentWriter>().AppendAsync(new ConsentRecord
        {
            Id = Guid.CreateVersion7(),
            VisitorId = ConsentCookie.NewVisitorId(),
            PolicyVersion = 2,
            Method = ConsentMethod.Custom,
            Source = ConsentSource.Banner,
            RecordedAt = db.Time.GetUtcNow().UtcDateTime,
            Language = "fr",
            BrowserFamily = "Safari",
            Decisions = [new() { CategoryKey = "analytics", Granted = true }],
        });

        var version1 = (await statistics.GetReportAsync(new StatisticsFilter(Nov29, Nov29, PolicyVersion: 1))).Totals;
        var version2 = (await statistics.GetReportAsync(new StatisticsFilter(Nov29, Nov29, PolicyVersion: 2))).Totals;
        var french = (await statistics.GetReportAsync(new StatisticsFilter(Nov29, Nov29, Language: "fr"))).Totals;
        var choices = await statistics.GetChoicesAsync();

        Assert.Equal((1, 0, 0, 2), (version1.AcceptAll, version1.RejectAll, version1.Custom, version1.BannerShown));
        Assert.Equal((0, 2, 1, 0), (version2.AcceptAll, version2.RejectAll, version2.Custom, version2.BannerShown));
        Assert.Equal((1, 1, 0), (french.Decisions, french.Custom, french.BannerShown));
        Assert.Equal((1L, 1L), french.Categories.Where(c => c.Key == "analytics").Select(c => (c.Granted, c.Decisions)).Single());
        Assert.Equal([2, 1], choices.PolicyVersions);
        Assert.Equal(["en", "fr"], choices.Languages);
    }

    [Theory]
    [InlineData("2026-11-29", "2026-11-28", null, null, "The end date must be on or after the start date.")]
    [InlineData("2024-11-28", "2026-11-29", null, null, "Choose at most 731 days (two years) at a time.")]
    [InlineData("2026-11-29", "2026-11-29", 0, null, "A policy version is a number from 1 up.")]
    [InlineData("2026-11-29", "2026-11-29", null, "English", "A language is a two- or three-letter code such as \"en\" or \"fr\".")]
    public async Task A_filter_that_makes_no_sense_is_refused_with_a_plain_message(string from, string to, int? version, string? language, string message)
    {
        var filter = new StatisticsFilter(DateOnly.Parse(from), DateOnly.Parse(to), version, language);

        var error = await Assert.ThrowsAsync<ValidationException>(() => statistics.GetReportAsync(filter));

        Assert.Equal([message], error.Errors.Select(e => e.ErrorMessage));
    }

    [Fact]
    public async Task Banner_views_stay_in_memory_until_a_read_stores_them_with_no_identifier()
    {
        ShowBanner(3);

        await using (var context = db.NewContext())
        {
            Assert.Equal(0, await context.BannerViewRollups.CountAsync());
        }
        Assert.Equal(3, bannerViews.Pending);

        var totals = (await statistics.GetReportAsync(new StatisticsFilter(Nov29, Nov29))).Totals;

        Assert.Equal(3, totals.BannerShown);
        Assert.Equal(0, bannerViews.Pending);
        await using var stored = db.NewContext();
        var row = await stored.BannerViewRollups.SingleAsync();
        Assert.Equal((Nov29, 1, "en", 3L), (row.Day, row.PolicyVersion, row.Language, row.Count));
        Assert.Equal(["Count", "Day", "Language", "PolicyVersion"], stored.Model.FindEntityType(typeof(BannerViewRollup))!.GetProperties().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Banner_views_are_stored_by_the_timer_without_any_read()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        db.Get<StatisticsNotifier>().Changed += () => flushed.TrySetResult();
        ShowBanner(2);

        db.Time.Advance(BannerViewCounter.FlushInterval);
        await flushed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        await using var context = db.NewContext();
        Assert.Equal(2, await context.BannerViewRollups.SumAsync(r => r.Count));
    }

    [Fact]
    public async Task A_commit_tells_the_dashboards_before_the_visitor_is_answered()
    {
        var heard = 0;
        db.Get<StatisticsNotifier>().Changed += () => Interlocked.Increment(ref heard);
        db.Get<StatisticsNotifier>().Changed += () => throw new InvalidOperationException("A broken dashboard.");

        await ChooseAsync(ConsentMethod.AcceptAll);

        Assert.Equal(1, heard);
    }
}
