using System.Net;
using System.Text.Json;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

public abstract class StatisticsExportTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : StatisticsExportTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : StatisticsExportTests(TestEngine.Postgres);

    private static List<string[]> Rows(string csv) =>
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')).ToList();

    [Fact]
    public async Task An_admin_downloads_the_figures_of_the_chosen_days_as_csv()
    {
        // Four first visits see the banner; a visitor with a decision and the customize layer are not counted again.
        for (var i = 0; i < 4; i++) await client.GetPageAsync("/");
        var accepted = await client.PostChoiceAsync(BannerForm("accept-all"));
        await client.GetPageAsync("/", accepted.ConsentCookieValue());
        await client.GetPageAsync("/?cc=customize");
        await client.PostChoiceAsync(BannerForm("reject-all"));
        await client.PostChoiceAsync(BannerForm("custom", granted: "analytics"));
        using var admin = await app.SignedInAdminAsync();

        var response = await admin.GetAsync("/admin/export/statistics.csv?from=2026-11-28&to=2026-11-29");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("consent-statistics_2026-11-28_2026-11-29.csv", response.Content.Headers.ContentDisposition?.FileNameStar);
        var rows = Rows((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        Assert.Equal(
            ["Day", "Banner shown", "Accept all", "Reject all", "Custom", "Withdrawals", "Decisions", "Banner decisions", "Ignored",
             "Interaction rate", "Accept-all rate", "Analytics granted", "Analytics opt-in rate",
             "Social media + embedded videos granted", "Social media + embedded videos opt-in rate"],
            rows[0]);
        Assert.Equal(["2026-11-28", "0", "0", "0", "0", "0", "0", "0", "0", "", "", "0", "", "0", ""], rows[1]);
        Assert.Equal(["2026-11-29", "4", "1", "1", "1", "0", "3", "3", "1", "0.75", "0.3333", "2", "0.6667", "1", "0.3333"], rows[2]);
        Assert.Equal(["Total", .. rows[2][1..]], rows[3]);
        Assert.Equal(4, rows.Count);
    }

    [Fact]
    public async Task The_export_keeps_to_the_chosen_policy_version_and_language()
    {
        await client.PostChoiceAsync(BannerForm("accept-all"));
        using var admin = await app.SignedInAdminAsync();

        var french = Rows(await admin.GetStringAsync("/admin/export/statistics.csv?from=2026-11-29&to=2026-11-29&language=fr"));
        var version1 = Rows(await admin.GetStringAsync("/admin/export/statistics.csv?from=2026-11-29&to=2026-11-29&version=1&language=EN"));

        Assert.Equal("0", french[^1][2]);
        Assert.Equal("1", version1[^1][2]);
    }

    [Fact]
    public async Task Without_dates_the_export_covers_the_last_30_days()
    {
        using var admin = await app.SignedInAdminAsync();

        var rows = Rows(await admin.GetStringAsync("/admin/export/statistics.csv"));

        Assert.Equal(32, rows.Count);
        Assert.Equal(("2026-10-31", "2026-11-29", "Total"), (rows[1][0], rows[30][0], rows[31][0]));
    }

    [Theory]
    [InlineData("from=2026-13-01&to=2026-11-29", "from")]
    [InlineData("from=2026-11-29&to=yesterday", "to")]
    [InlineData("from=2026-11-29&to=2026-11-28", "to")]
    [InlineData("from=2026-11-29&to=2026-11-29&version=two", "version")]
    [InlineData("from=2026-11-29&to=2026-11-29&version=0", "version")]
    [InlineData("from=2026-11-29&to=2026-11-29&language=english", "language")]
    public async Task A_bad_query_value_is_answered_with_a_problem_naming_the_field(string query, string field)
    {
        using var admin = await app.SignedInAdminAsync();

        var response = await admin.GetAsync($"/admin/export/statistics.csv?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateObject().ToList();
        Assert.Equal([field], errors.Select(e => e.Name));
        Assert.False(string.IsNullOrWhiteSpace(errors[0].Value[0].GetString()));
    }

    [Fact]
    public async Task An_analyst_may_export_the_statistics_too()
    {
        await client.PostChoiceAsync(BannerForm("reject-all"));
        using var analyst = await app.SignedInAnalystAsync();

        var rows = Rows(await analyst.GetStringAsync("/admin/export/statistics.csv?from=2026-11-29&to=2026-11-29"));

        Assert.Equal(["Total", "0", "0", "1"], rows[^1][..4]);
    }

    [Fact]
    public async Task Banner_views_still_in_memory_are_stored_when_the_app_stops()
    {
        var running = app.WithWebHostBuilder(_ => { });
        using (var client = running.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }))
        {
            await client.GetPageAsync("/");
            await client.GetPageAsync("/cookies");
        }

        await running.DisposeAsync(); // stops the host as a shutdown does; the database file stays until the test ends

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var stored = Assert.Single(await db.BannerViewRollups.AsNoTracking().ToListAsync());
        Assert.Equal((new DateOnly(2026, 11, 29), 1, "en", 2L), (stored.Day, stored.PolicyVersion, stored.Language, stored.Count));
    }

    [Fact]
    public async Task Only_pages_served_with_the_banner_count_as_banner_shown()
    {
        using var client = app.CreateVisitorClient();
        await client.GetPageAsync("/");
        var (notFound, _) = await client.GetPageAsync("/favicon.ico"); // browsers ask for it by themselves
        Assert.Equal(System.Net.HttpStatusCode.NotFound, notFound.StatusCode);
        await client.GetPageAsync("/?cc=customize"); // the same banner opened further, not a new view
        var accepted = await client.PostChoiceAsync(VisitorRequests.BannerForm("accept-all"));
        await client.GetPageAsync("/", accepted.ConsentCookieValue()); // a visitor with a decision sees no banner

        var counter = app.Services.GetRequiredService<Consent.Core.Statistics.BannerViewCounter>();
        Assert.Equal(1, counter.Pending);
    }

    [Fact]
    public async Task An_anonymous_caller_is_sent_to_the_sign_in_page()
    {
        var response = await client.GetAsync("/admin/export/statistics.csv?from=2026-11-29&to=2026-11-29");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location?.AbsolutePath);
        Assert.DoesNotContain("Banner shown", await response.Content.ReadAsStringAsync());
    }
}
