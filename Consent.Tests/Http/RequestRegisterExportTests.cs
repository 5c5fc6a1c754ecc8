using System.Net;
using System.Text.Json;
using Consent.App.Endpoints;
using Consent.Core.Persistence;
using Consent.Core.Requests;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Http;

/// <summary>GET /admin/export/requests.csv: the register for an authority, every verified request and no requester's address; audited.</summary>
public abstract class RequestRegisterExportTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : RequestRegisterExportTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : RequestRegisterExportTests(TestEngine.Postgres);

    private const string Header =
        "reference,type,status,received_at,first_due_on,due_on,extension_months,extension_reason,closed_at,closing_reason,assigned_to,verified_by";

    private static string[] Lines(string csv) => csv.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public async Task The_register_lists_every_verified_request_in_the_order_received_with_its_deadlines_and_checks()
    {
        await app.Services.AddRequestAsync("R-EXTENDED", receivedDaysAgo: 20, type: RequestType.Portability, status: RequestStatus.Extended,
            email: "ada@example.org", name: "Ada Lovelace", with: r =>
            {
                r.ExtensionMonths = 2;
                r.ExtensionReason = "Many requests, as told on 2026-11-20.";
                r.DueOn = new DateOnly(2027, 1, 11);
                r.AssignedTo = "dpo@example.org";
                r.VisitorId = "0123456789abcdef0123456789abcdef";
            });
        await app.Services.AddRequestAsync("R-REFUSED1", receivedDaysAgo: 10, type: RequestType.Erasure, status: RequestStatus.Refused,
            email: "bob@example.org", with: r => r.ClosingReason = "Manifestly unfounded, as said");
        await app.Services.AddRequestAsync("R-WAITING1", status: RequestStatus.AwaitingVerification, email: "carol@example.org");
        using var admin = await app.SignedInAdminAsync();

        var response = await admin.GetAsync(RequestRegisterEndpoints.ExportPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("requests-register-2026-11-29.csv", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var csv = await response.Content.ReadAsStringAsync();
        Assert.Equal(
        [
            Header,
            "R-EXTENDED,portability,extended,2026-11-09T10:00:00Z,2026-12-09,2027-01-11,2,\"Many requests, as told on 2026-11-20.\",,,dpo@example.org,e-mail consent-cookie",
            "R-REFUSED1,erasure,refused,2026-11-19T10:00:00Z,2026-12-21,2026-12-21,0,,2026-11-29T10:00:00Z,\"Manifestly unfounded, as said\",,e-mail",
        ], Lines(csv));
        Assert.DoesNotContain("@example.org,", csv.Replace("dpo@example.org,", ""));
        Assert.DoesNotContain("Lovelace", csv);
    }

    [Fact]
    public async Task A_reason_a_spreadsheet_would_run_as_a_formula_is_defused()
    {
        await app.Services.AddRequestAsync("R-FORMULA1", status: RequestStatus.Withdrawn, with: r => r.ClosingReason = "=HYPERLINK(\"http://evil.example\")");
        using var admin = await app.SignedInAdminAsync();

        var csv = await admin.GetStringAsync(RequestRegisterEndpoints.ExportPath);

        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\",", Lines(csv)[1]);
    }

    [Fact]
    public async Task The_export_is_audited_with_the_count_under_the_admin_s_name_and_without_any_address()
    {
        await app.Services.AddRequestAsync("R-AUDITED1", email: "ada@example.org");
        await app.Services.AddRequestAsync("R-AUDITED2", email: "bob@example.org");
        using var admin = await app.SignedInAdminAsync();

        await admin.GetStringAsync(RequestRegisterEndpoints.ExportPath);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var entry = Assert.Single(await db.AuditEntries.Where(a => a.Action == RequestRegister.ExportAction).ToListAsync());
        Assert.Equal((ConsentAppFactory.AdminEmail, "RightsRequest", "register"), (entry.Actor, entry.EntityType, entry.EntityKey));
        using var after = JsonDocument.Parse(entry.After!);
        Assert.Equal(2, after.RootElement.GetProperty("requests").GetInt32());
        Assert.DoesNotContain("ada@", entry.After);
    }
}
