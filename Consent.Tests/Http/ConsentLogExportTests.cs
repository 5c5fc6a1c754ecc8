using System.Net;
using System.Text.Json;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>GET /admin/export/consents.csv: a date range is checked whole before anything is streamed or audited.</summary>
public abstract class ConsentLogExportTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : ConsentLogExportTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ConsentLogExportTests(TestEngine.Postgres);

    private async Task<int> ExportsAuditedAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.CountAsync(e => e.Action == "consents.export");
    }

    [Theory]
    [InlineData("from=2026-11-29&to=9999-12-31", "to")]
    [InlineData("from=9999-12-31&to=9999-12-31", "from,to")]
    [InlineData("from=1999-12-31&to=2026-11-29", "from")]
    [InlineData("from=0001-01-01&to=0001-01-01", "from,to")]
    public async Task A_day_outside_the_log_s_years_is_a_problem_naming_the_field_before_anything_is_sent(string query, string fields)
    {
        using var admin = await app.SignedInAdminAsync();

        var response = await admin.GetAsync($"/admin/export/consents.csv?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentDisposition);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = problem.RootElement.GetProperty("errors").EnumerateObject().ToList();
        Assert.Equal(fields.Split(','), errors.Select(e => e.Name).Order());
        Assert.All(errors, e => Assert.Contains("between 2000-01-01 and 9998-12-31", e.Value[0].GetString()));
        Assert.Equal(0, await ExportsAuditedAsync());
    }

    [Fact]
    public async Task The_widest_range_allowed_exports_every_record()
    {
        await client.PostChoiceAsync(BannerForm("accept-all"));
        using var admin = await app.SignedInAdminAsync();

        var response = await admin.GetAsync("/admin/export/consents.csv?from=2000-01-01&to=9998-12-31");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains(",AcceptAll,Banner,", lines[1]);
        Assert.Equal(1, await ExportsAuditedAsync());
    }
}
