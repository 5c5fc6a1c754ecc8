using System.Globalization;
using Consent.Core.Statistics;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Consent.App.Components.Admin;

/// <summary>
/// The consent statistics dashboard. It reads only through <see cref="StatisticsService"/> (rollups),
/// and re-queries when <see cref="StatisticsNotifier"/> reports new choices, at most once per
/// <see cref="RefreshInterval"/> however many arrive.
/// </summary>
public partial class DashboardPage
{
    /// <summary>Live updates are throttled to this: a burst of choices costs one re-query, not one each.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private const int CustomPreset = 0;
    private const int AllVersions = 0;
    private const string AllLanguages = "*";

    private static readonly (int Days, string Label)[] Presets =
        [(1, "Today"), (7, "Last 7 days"), (30, "Last 30 days"), (90, "Last 90 days"), (CustomPreset, "Custom")];

    [Inject] private StatisticsService Statistics { get; set; } = default!;
    [Inject] private StatisticsNotifier Notifier { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private readonly CancellationTokenSource closing = new();
    private readonly Lock gate = new();
    private bool refreshScheduled;
    private DateTimeOffset lastLoad;
    private int loads;

    private int preset = 30;
    private DateRange? customRange;
    private int version = AllVersions;
    private string language = AllLanguages;
    private StatisticsFilter filter = null!;
    private StatisticsChoices? choices;
    private StatisticsReport? report;
    private string? error;

    private DateOnly Today => RollupWrites.DayOf(Time.GetUtcNow().UtcDateTime);

    protected override async Task OnInitializedAsync()
    {
        filter = StatisticsFilter.LastDays(preset, Time);
        Notifier.Changed += OnStatisticsChanged;
        await LoadAsync();
    }

    private async Task PresetChangedAsync(int value)
    {
        preset = value;
        if (preset == CustomPreset)
        {
            // Start from the period shown, so that choosing "Custom" changes nothing until a day is picked.
            customRange = new DateRange(filter.From.ToDateTime(TimeOnly.MinValue), filter.To.ToDateTime(TimeOnly.MinValue));
            return;
        }
        filter = StatisticsFilter.LastDays(preset, Time) with { PolicyVersion = filter.PolicyVersion, Language = filter.Language };
        await LoadAsync();
    }

    private async Task CustomRangeChangedAsync(DateRange? range)
    {
        customRange = range;
        if (range is not { Start: { } start, End: { } end }) return;
        filter = filter with { From = DateOnly.FromDateTime(start), To = DateOnly.FromDateTime(end) };
        await LoadAsync();
    }

    private async Task VersionChangedAsync(int value)
    {
        version = value;
        filter = filter with { PolicyVersion = value == AllVersions ? null : value };
        await LoadAsync();
    }

    private async Task LanguageChangedAsync(string value)
    {
        language = value;
        filter = filter with { Language = value == AllLanguages ? null : value };
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        // A preset period ends today: a dashboard left open past midnight (UTC) moves on with the day.
        if (preset != CustomPreset) filter = StatisticsFilter.LastDays(preset, Time) with { PolicyVersion = filter.PolicyVersion, Language = filter.Language };
        var mine = ++loads;
        lastLoad = Time.GetUtcNow();
        try
        {
            var newChoices = await Statistics.GetChoicesAsync(closing.Token);
            var newReport = await Statistics.GetReportAsync(filter, closing.Token);
            if (mine != loads) return; // a newer filter was chosen meanwhile: its answer wins
            (choices, report, error) = (newChoices, newReport, null);
        }
        catch (ValidationException ex) when (mine == loads)
        {
            error = string.Join(" ", ex.Errors.Select(e => e.ErrorMessage).Distinct());
        }
    }

    /// <summary>Runs on the committing thread: only schedules the refresh, throttled.</summary>
    private void OnStatisticsChanged()
    {
        lock (gate)
        {
            if (refreshScheduled || closing.IsCancellationRequested) return;
            refreshScheduled = true;
        }
        var wait = lastLoad + RefreshInterval - Time.GetUtcNow();
        // Created here, synchronously, so the throttle's timer exists before the consent's caller is answered.
        var delay = wait > TimeSpan.Zero ? Task.Delay(wait, Time, closing.Token) : Task.CompletedTask;
        _ = RefreshAfterAsync(delay);
    }

    private async Task RefreshAfterAsync(Task delay)
    {
        try
        {
            await delay;
            lock (gate) refreshScheduled = false; // choices arriving during the query schedule the next refresh
            await InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            });
        }
        catch (Exception) when (closing.IsCancellationRequested)
        {
            // The page was closed meanwhile: nobody is left to show the figures to.
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    public void Dispose()
    {
        Notifier.Changed -= OnStatisticsChanged;
        closing.Cancel();
        closing.Dispose();
    }

    private string PeriodText => filter.From == filter.To
        ? $"On {Day(filter.From)}"
        : $"From {Day(filter.From)} to {Day(filter.To)}";

    private sealed record Card(string Id, string Label, string Value, string Meaning);

    private static IEnumerable<Card> Cards(ConsentFigures f) =>
    [
        new("banner-shown", "Banner shown", Count(f.BannerShown), "Times the banner was shown to a visitor without a decision."),
        new("decisions", "Decisions", Count(f.Decisions), "Every choice recorded, on the banner or in the cookie settings."),
        new("accept-all", "Accept all", Count(f.AcceptAll), "Decisions that accepted every category."),
        new("reject-all", "Reject all", Count(f.RejectAll), "Decisions that refused every optional category."),
        new("custom", "Custom", Count(f.Custom), "Decisions made category by category."),
        new("withdrawals", "Withdrawals", Count(f.Withdrawals), "Earlier consents taken back in the cookie settings."),
        new("ignored", "Ignored", Count(f.Ignored), "Banner shown minus decisions made on the banner."),
        new("interaction-rate", "Interaction rate", Percent(f.InteractionRate), "Decisions made on the banner ÷ banner shown."),
        new("accept-all-rate", "Accept-all rate", Percent(f.AcceptAllRate), "Accept all ÷ decisions."),
    ];

    private static List<ChartSeries<double>> DailySeries(StatisticsReport r) =>
    [
        new() { Name = "Accept all", Data = r.Days.Select(d => (double)d.Figures.AcceptAll).ToArray() },
        new() { Name = "Reject all", Data = r.Days.Select(d => (double)d.Figures.RejectAll).ToArray() },
        new() { Name = "Custom", Data = r.Days.Select(d => (double)d.Figures.Custom).ToArray() },
        new() { Name = "Withdrawals", Data = r.Days.Select(d => (double)d.Figures.Withdrawals).ToArray() },
    ];

    /// <summary>Day labels, thinned out on long periods so that they stay readable (the table has every day).</summary>
    private static string[] DayLabels(StatisticsReport r)
    {
        var every = Math.Max(1, (int)Math.Ceiling(r.Days.Count / 15.0));
        return r.Days.Select((d, i) => i % every == 0 ? d.Day.ToString("MM-dd", CultureInfo.InvariantCulture) : "").ToArray();
    }

    /// <summary>About five gridlines whatever the volume: 1, 2, 5, 10, 20, 50… decisions apart.</summary>
    private static StackedBarChartOptions DailyOptions(StatisticsReport r)
    {
        var peak = Math.Max(1, r.Days.Max(d => d.Figures.Decisions));
        var step = new[] { 1, 2, 5 }.SelectMany(m => Enumerable.Range(0, 10).Select(e => m * Math.Pow(10, e))).Order().First(s => peak / s <= 5);
        return new StackedBarChartOptions { YAxisTicks = (int)step, YAxisSuggestedMax = peak, YAxisFormat = "0" };
    }

    private static readonly BarChartOptions RateOptions = new() { YAxisTicks = 20, YAxisSuggestedMax = 100, YAxisFormat = "0'%'" };

    private static List<ChartSeries<double>> CategorySeries(ConsentFigures f) =>
        [new() { Name = "Opt-in rate (%)", Data = f.Categories.Select(c => Math.Round((c.Rate ?? 0) * 100, 1)).ToArray() }];

    /// <summary>What the daily chart shows, in words, for screen readers (the table beneath has the numbers).</summary>
    private static string DailySummary(StatisticsReport r)
    {
        var t = r.Totals;
        var busiest = r.Days.MaxBy(d => d.Figures.Decisions);
        var peak = busiest is { Figures.Decisions: > 0 } ? $" The busiest day was {Day(busiest.Day)} with {Count(busiest.Figures.Decisions)}." : "";
        return $"Stacked bar chart of decisions per day over {r.Days.Count} days: {Count(t.AcceptAll)} accept all, " +
            $"{Count(t.RejectAll)} reject all, {Count(t.Custom)} custom and {Count(t.Withdrawals)} withdrawals.{peak} " +
            "The table “Decisions per day” lists every day.";
    }

    private static string CategorySummary(ConsentFigures f) =>
        "Bar chart of opt-in rates: " + string.Join(", ", f.Categories.Select(c => $"{c.Name} {Percent(c.Rate)}")) + ".";

    private static string LanguageName(string code)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(code);
            return culture.EnglishName == code ? code : $"{culture.EnglishName} ({code})";
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double? rate) =>
        rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "no data";
}
