using Bunit;
using Bunit.TestDoubles;
using Consent.App.Components.Admin;
using Consent.Core.Consents;
using Consent.Core.PrivacyTeam;
using Consent.Core.Requests;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace Consent.Tests.Components;

public class DashboardPageTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly VisitorContext Visitor = new(null, "en", "Firefox/128.0");

    private readonly BunitContext bunit = new();
    private TestDatabase db = null!;

    public async ValueTask InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        bunit.Services.AddSingleton<TimeProvider>(db.Time);
        bunit.Services.AddSingleton(db.Get<StatisticsService>());
        bunit.Services.AddSingleton(db.Get<StatisticsNotifier>());
        bunit.Services.AddSingleton(db.Get<RequestRegister>());
        bunit.Services.AddSingleton(db.Get<IOptions<RequestOptions>>());
        // An Analyst unless a test says otherwise: the rights requests' line is for Admins and DPOs.
        auth = bunit.AddAuthorization();
        auth.SetAuthorized("alice@example.org");
        auth.SetRoles(TeamRoles.Analyst);
    }

    private BunitAuthorizationContext auth = null!;

    public async ValueTask DisposeAsync()
    {
        await bunit.DisposeAsync();
        await db.DisposeAsync();
    }

    private IRenderedComponent<DashboardPage> RenderPage()
    {
        bunit.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        bunit.Render<MudPopoverProvider>();
        return bunit.Render<DashboardPage>();
    }

    private Task<ConsentReceipt> ChooseAsync(ConsentMethod method, params string[] granted) =>
        db.Get<ConsentService>().RecordReceiptAsync(
            new ConsentSubmission { Method = method, Source = ConsentSource.Banner, PolicyVersion = 1, Granted = [.. granted] }, Visitor);

    private static string Metric(IRenderedComponent<DashboardPage> cut, string id) =>
        cut.Find($"[data-testid=metric-{id}] [data-testid=value]").TextContent.Trim();

    [Fact]
    public async Task The_dashboard_shows_the_figures_of_the_last_30_days()
    {
        for (var i = 0; i < 5; i++) db.Get<BannerViewCounter>().Count(1, "en");
        await ChooseAsync(ConsentMethod.AcceptAll);
        await ChooseAsync(ConsentMethod.RejectAll);
        await ChooseAsync(ConsentMethod.Custom, "analytics");

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("3", Metric(cut, "decisions")), Patience);
        Assert.Equal(("5", "1", "1", "1", "0"),
            (Metric(cut, "banner-shown"), Metric(cut, "accept-all"), Metric(cut, "reject-all"), Metric(cut, "custom"), Metric(cut, "withdrawals")));
        Assert.Equal(("2", "60.0 %", "33.3 %"), (Metric(cut, "ignored"), Metric(cut, "interaction-rate"), Metric(cut, "accept-all-rate")));
        Assert.Contains("From 2026-10-31 to 2026-11-29", cut.Find("[data-testid=period]").TextContent);
        Assert.Equal(["Analytics", "2", "3", "66.7 %"], cut.FindAll("[data-testid=category-analytics] th, [data-testid=category-analytics] td").Select(c => c.TextContent));
        Assert.Equal(["Social media + embedded videos", "1", "3", "33.3 %"], cut.FindAll("[data-testid=category-social-media] th, [data-testid=category-social-media] td").Select(c => c.TextContent));
    }

    [Fact]
    public async Task The_charts_have_a_text_alternative_and_the_daily_table_lists_every_day()
    {
        await ChooseAsync(ConsentMethod.AcceptAll);

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("1", Metric(cut, "decisions")), Patience);
        var daily = cut.Find("[data-testid=daily-chart]");
        Assert.Equal("img", daily.GetAttribute("role"));
        Assert.Contains("1 accept all, 0 reject all, 0 custom and 0 withdrawals", daily.GetAttribute("aria-label"));
        Assert.Contains("The busiest day was 2026-11-29 with 1", daily.GetAttribute("aria-label"));
        Assert.Equal("Bar chart of opt-in rates: Analytics 100.0 %, Social media + embedded videos 100.0 %.",
            cut.Find("[data-testid=category-chart]").GetAttribute("aria-label"));
        var rows = cut.FindAll("[data-testid=daily-table] tbody tr");
        Assert.Equal(30, rows.Count);
        Assert.Equal(["2026-11-29", "1", "0", "0", "0", "0"], rows[^1].Children.Select(c => c.TextContent));
        Assert.Equal(["Consent statistics", "Filters", "Figures", "Decisions per day, by how they were made", "Opt-in rate per category"],
            cut.FindAll("h1, h2").Select(h => h.TextContent));
    }

    [Fact]
    public async Task A_new_consent_updates_the_numbers_without_a_reload()
    {
        await ChooseAsync(ConsentMethod.AcceptAll);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal("1", Metric(cut, "decisions")), Patience);

        await ChooseAsync(ConsentMethod.RejectAll);
        await ChooseAsync(ConsentMethod.RejectAll);
        db.Time.Advance(DashboardPage.RefreshInterval);

        cut.WaitForAssertion(() => Assert.Equal(("3", "2"), (Metric(cut, "decisions"), Metric(cut, "reject-all"))), Patience);
    }

    [Fact]
    public async Task Choosing_today_narrows_the_figures_and_the_download_link_follows_the_filter()
    {
        await ChooseAsync(ConsentMethod.AcceptAll);
        db.Time.Advance(TimeSpan.FromDays(3));
        await ChooseAsync(ConsentMethod.RejectAll);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal("2", Metric(cut, "decisions")), Patience);

        var period = cut.FindComponents<MudSelect<int>>().Single(s => s.Instance.Label == "Period");
        await cut.InvokeAsync(() => period.Instance.ValueChanged.InvokeAsync(1));

        cut.WaitForAssertion(() => Assert.Equal("1", Metric(cut, "decisions")), Patience);
        Assert.Equal(("0", "1"), (Metric(cut, "accept-all"), Metric(cut, "reject-all")));
        Assert.Contains("On 2026-12-02", cut.Find("[data-testid=period]").TextContent);
        var link = cut.Find("a[data-testid=export-csv]");
        Assert.Equal("/admin/export/statistics.csv?from=2026-12-02&to=2026-12-02", link.GetAttribute("href"));
        Assert.True(link.HasAttribute("download"));
    }

    [Fact]
    public async Task Choosing_a_version_and_a_language_filters_the_figures_and_the_download_link()
    {
        await ChooseAsync(ConsentMethod.AcceptAll);

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("1", Metric(cut, "decisions")), Patience);
        var version = cut.FindComponents<MudSelect<int>>().Single(s => s.Instance.Label == "Policy version");
        await cut.InvokeAsync(() => version.Instance.ValueChanged.InvokeAsync(1));
        cut.WaitForAssertion(() => Assert.EndsWith("&version=1", cut.Find("a[data-testid=export-csv]").GetAttribute("href")), Patience);
        var language = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Language");
        await cut.InvokeAsync(() => language.Instance.ValueChanged.InvokeAsync("en"));
        cut.WaitForAssertion(() => Assert.EndsWith("&version=1&language=en", cut.Find("a[data-testid=export-csv]").GetAttribute("href")), Patience);
        Assert.Equal("1", Metric(cut, "decisions"));
    }

    [Fact]
    public async Task A_dpo_sees_the_requests_open_due_within_seven_days_and_overdue_each_linking_to_its_list()
    {
        await db.Services.AddRequestAsync("R-OVERDUE1", receivedDaysAgo: 35);
        await db.Services.AddRequestAsync("R-SOON0001", receivedDaysAgo: 27);
        await db.Services.AddRequestAsync("R-SOON0002", receivedDaysAgo: 30, status: RequestStatus.InProgress);
        await db.Services.AddRequestAsync("R-LATER001", receivedDaysAgo: 2, status: RequestStatus.Extended);
        await db.Services.AddRequestAsync("R-WAITING1", status: RequestStatus.AwaitingVerification);
        await db.Services.AddRequestAsync("R-CLOSED01", receivedDaysAgo: 40, status: RequestStatus.Answered);
        auth.SetRoles(TeamRoles.Dpo);
        auth.SetPolicies(TeamPolicies.Requests);

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal("Rights requests: 4 open, 2 due within 7 days, 1 overdue",
            string.Join(" ", cut.Find("[data-testid=request-counts]").TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)).Replace(" ,", ",")), Patience);
        Assert.Equal("/admin/requests", cut.Find("a[data-testid=requests-pending]").GetAttribute("href"));
        Assert.Equal("/admin/requests?due=due-soon", cut.Find("a[data-testid=requests-due-soon]").GetAttribute("href"));
        Assert.Equal("/admin/requests?due=overdue", cut.Find("a[data-testid=requests-overdue]").GetAttribute("href"));
    }

    [Fact]
    public async Task An_analyst_sees_no_count_of_rights_requests()
    {
        await db.Services.AddRequestAsync("R-OVERDUE1", receivedDaysAgo: 35);

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=period]")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=request-counts]"));
    }
}
