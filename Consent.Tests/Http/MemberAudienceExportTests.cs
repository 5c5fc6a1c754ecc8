using System.Net;
using System.Text.Json;
using Consent.App.Endpoints;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Http;

/// <summary>GET /admin/export/audience.csv: who an e-mail of one purpose may go to now, for the mailing tool; Admins only, audited.</summary>
public abstract class MemberAudienceExportTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : MemberAudienceExportTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : MemberAudienceExportTests(TestEngine.Postgres);

    private const string Header = "email,username,language,opted_in_at,consent_id,unsubscribe_url";

    private MemberService Members => app.Services.GetRequiredService<MemberService>();

    private async Task<List<(string Actor, string Key, string? After)>> ExportsAuditedAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return (await db.AuditEntries.Where(e => e.Action == MemberDirectory.AudienceExportAction).ToListAsync()).Select(e => (e.Actor, e.EntityKey, e.After)).ToList();
    }

    private static string[] Lines(string csv) => csv.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public async Task The_newsletter_audience_holds_only_confirmed_members_who_are_sent_it_each_with_the_record_in_force()
    {
        var ada = await app.Services.AddMemberAsync("ada", "ada@example.org", language: "fr");
        var adaChoice = await app.Services.OptInAsync(ada, CommunicationPurposes.Newsletter);
        var unconfirmed = await app.Services.AddMemberAsync("bob", "bob@example.org", confirmed: false);
        await app.Services.OptInAsync(unconfirmed, CommunicationPurposes.Newsletter);
        var restricted = await app.Services.AddMemberAsync("carol", "carol@example.org");
        await app.Services.OptInAsync(restricted, CommunicationPurposes.Newsletter);
        await Members.SetRestrictedAsync(restricted.Id, true);
        var eventsOnly = await app.Services.AddMemberAsync("dan", "dan@example.org");
        await app.Services.OptInAsync(eventsOnly, CommunicationPurposes.Events);
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var objecting = await app.Services.AddMemberAsync("eve", "eve@example.org");
        var eveChoice = await app.Services.OptInAsync(objecting, CommunicationPurposes.Newsletter, CommunicationPurposes.Offers);
        await Members.SetObjectionAsync(objecting.Id, true);
        await app.Services.AddMemberAsync("frank", "frank@example.org");
        using var admin = await app.SignedInAdminAsync();

        var response = await admin.GetAsync(MemberAudienceEndpoints.ExportUrl(CommunicationPurposes.Newsletter));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("audience-newsletter-2026-11-29.csv", response.Content.Headers.ContentDisposition?.FileName);
        var lines = Lines(await response.Content.ReadAsStringAsync());
        Assert.Equal(Header, lines[0]);
        Assert.Equal(3, lines.Length); // an objection stops offers only: eve still gets the newsletter
        var adaRow = lines[1].Split(',');
        Assert.Equal(["ada@example.org", "ada", "fr", "2026-11-29T10:00:00Z", adaChoice!.Id.ToString("D")], adaRow[..5]);
        Assert.Equal(["eve@example.org", "eve", "en", "2026-11-29T10:05:00Z", eveChoice!.Id.ToString("D")], lines[2].Split(',')[..5]);
        var link = new Uri(adaRow[5]);
        Assert.Equal("http://localhost" + UnsubscribeLinks.Path, link.GetLeftPart(UriPartial.Path));
        var token = app.Services.GetRequiredService<UnsubscribeLinks>().Read(QueryHelpers.ParseQuery(link.Query)["token"]);
        Assert.Equal(new UnsubscribeToken(ada.SubjectId, CommunicationPurposes.Newsletter), token);
    }

    [Fact]
    public async Task An_objection_to_prospecting_leaves_a_member_out_of_the_offers_audience()
    {
        var ada = await app.Services.AddMemberAsync("ada", "ada@example.org");
        await app.Services.OptInAsync(ada, CommunicationPurposes.Offers);
        var eve = await app.Services.AddMemberAsync("eve", "eve@example.org");
        await app.Services.OptInAsync(eve, CommunicationPurposes.Offers);
        await Members.SetObjectionAsync(eve.Id, true);
        using var admin = await app.SignedInAdminAsync();

        var csv = await admin.GetStringAsync(MemberAudienceEndpoints.ExportUrl(CommunicationPurposes.Offers));

        var lines = Lines(csv);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("ada@example.org,", lines[1]);
        var token = app.Services.GetRequiredService<UnsubscribeLinks>().Read(QueryHelpers.ParseQuery(new Uri(lines[1].Split(',')[5]).Query)["token"]);
        Assert.Equal(CommunicationPurposes.Offers, token?.Purpose);
    }

    [Fact]
    public async Task A_username_a_spreadsheet_would_run_as_a_formula_is_defused()
    {
        var member = await app.Services.AddMemberAsync("=HYPERLINK(\"http://evil.example\",\"x\")", "mallory@example.org");
        await app.Services.OptInAsync(member, CommunicationPurposes.Newsletter);
        using var admin = await app.SignedInAdminAsync();

        var csv = await admin.GetStringAsync(MemberAudienceEndpoints.ExportUrl(CommunicationPurposes.Newsletter));

        Assert.StartsWith("mallory@example.org,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",en,", Lines(csv)[1]);
    }

    [Fact]
    public async Task The_export_is_audited_with_its_purpose_and_count_under_the_admin_s_name()
    {
        var ada = await app.Services.AddMemberAsync("ada", "ada@example.org");
        await app.Services.OptInAsync(ada, CommunicationPurposes.Events);
        using var admin = await app.SignedInAdminAsync();

        await admin.GetStringAsync(MemberAudienceEndpoints.ExportUrl(CommunicationPurposes.Events));

        var (actor, key, after) = Assert.Single(await ExportsAuditedAsync());
        Assert.Equal(ConsentAppFactory.AdminEmail, actor);
        Assert.Equal(CommunicationPurposes.Events, key);
        using var details = JsonDocument.Parse(after!);
        Assert.Equal("events", details.RootElement.GetProperty("purpose").GetString());
        Assert.Equal(1, details.RootElement.GetProperty("members").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?purpose=spam")]
    [InlineData("?purpose=NEWSLETTER")]
    public async Task A_missing_or_unknown_purpose_is_a_problem_naming_the_field_and_nothing_is_exported(string query)
    {
        using var admin = await app.SignedInAdminAsync();

        var response = await admin.GetAsync(MemberAudienceEndpoints.ExportPath + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateObject());
        Assert.Equal("purpose", error.Name);
        Assert.Contains("Choose one of: newsletter, events, partner-events, offers.", error.Value[0].GetString());
        Assert.Empty(await ExportsAuditedAsync());
    }

    [Fact]
    public async Task An_analyst_is_refused_and_nothing_is_exported()
    {
        var ada = await app.Services.AddMemberAsync("ada", "ada@example.org");
        await app.Services.OptInAsync(ada, CommunicationPurposes.Newsletter);
        using var analyst = await app.SignedInAnalystAsync();

        var response = await analyst.GetAsync(MemberAudienceEndpoints.ExportUrl(CommunicationPurposes.Newsletter));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/denied", response.Headers.Location?.AbsolutePath);
        Assert.DoesNotContain("ada@example.org", await response.Content.ReadAsStringAsync());
        Assert.Empty(await ExportsAuditedAsync());
    }

    [Fact]
    public async Task Without_a_session_the_download_goes_to_the_sign_in_page()
    {
        using var anonymous = app.CreateTeamClient();

        var response = await anonymous.GetAsync(MemberAudienceEndpoints.ExportUrl(CommunicationPurposes.Newsletter));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location?.AbsolutePath);
        Assert.Empty(await ExportsAuditedAsync());
    }
}
