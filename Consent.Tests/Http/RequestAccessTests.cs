using System.Net;
using Consent.App.Endpoints;
using Consent.Core.Members;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Identity;

namespace Consent.Tests.Http;

/// <summary>The rights requests' inbox, a request's page and the register's CSV: the DPO and Admins only; each refusal on its own.</summary>
public abstract class RequestAccessTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : RequestAccessTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : RequestAccessTests(TestEngine.Postgres);

    private const string Reference = "R-7K3M9QXP";
    private const string List = "/admin/requests";
    private const string One = "/admin/requests/" + Reference;
    private const string Csv = RequestRegisterEndpoints.ExportPath;
    private const string DpoEmail = "dpo@example.org";
    private const string DpoPassword = "dpo password 12345678";

    private Task AddRequestAsync() => app.Services.AddRequestAsync(Reference, receivedDaysAgo: 3, email: "ada@example.org");

    private async Task<HttpClient> SignedInDpoAsync()
    {
        await app.CreateMemberAsync(DpoEmail, TeamRoles.Dpo, DpoPassword);
        var client = app.CreateTeamClient();
        var response = await client.SignInAsync(DpoEmail, DpoPassword);
        if ((int)response.StatusCode is not (302 or 303)) throw new InvalidOperationException($"The DPO could not sign in: {(int)response.StatusCode}.");
        return client;
    }

    /// <summary>A community member signed in on the members' pages: their cookie is not a team session.</summary>
    private async Task<HttpClient> SignedInMemberAsync()
    {
        await app.Services.AddMemberAsync("ada", "ada@example.org", with: m => m.PasswordHash = new PasswordHasher<Member>().HashPassword(m, MemberPages.Password));
        var client = app.CreateTeamClient();
        var signedIn = await client.SignInAsMemberAsync("ada");
        if (!signedIn.SetsMemberCookie()) throw new InvalidOperationException($"The member could not sign in: {(int)signedIn.StatusCode}.");
        return client;
    }

    private static void AssertSentTo(HttpResponseMessage response, string path)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(path, response.RedirectPath());
    }

    [Fact]
    public async Task An_analyst_is_refused_the_inbox()
    {
        await AddRequestAsync();
        using var analyst = await app.SignedInAnalystAsync();

        AssertSentTo(await analyst.GetAsync(List), "/account/denied");
    }

    [Fact]
    public async Task An_analyst_is_refused_a_request_s_page()
    {
        await AddRequestAsync();
        using var analyst = await app.SignedInAnalystAsync();

        AssertSentTo(await analyst.GetAsync(One), "/account/denied");
    }

    [Fact]
    public async Task An_analyst_is_refused_the_register_s_csv()
    {
        await AddRequestAsync();
        using var analyst = await app.SignedInAnalystAsync();

        AssertSentTo(await analyst.GetAsync(Csv), "/account/denied");
    }

    [Fact]
    public async Task A_member_s_cookie_alone_is_sent_to_the_team_s_sign_in_from_the_inbox()
    {
        await AddRequestAsync();
        using var member = await SignedInMemberAsync();

        AssertSentTo(await member.GetAsync(List), "/account/login");
    }

    [Fact]
    public async Task A_member_s_cookie_alone_is_sent_to_the_team_s_sign_in_from_a_request_and_the_csv()
    {
        await AddRequestAsync();
        using var member = await SignedInMemberAsync();

        AssertSentTo(await member.GetAsync(One), "/account/login");
        AssertSentTo(await member.GetAsync(Csv), "/account/login");
    }

    [Fact]
    public async Task An_anonymous_caller_is_sent_to_sign_in_from_the_inbox()
    {
        await AddRequestAsync();
        using var anonymous = app.CreateTeamClient();

        AssertSentTo(await anonymous.GetAsync(List), "/account/login");
    }

    [Fact]
    public async Task An_anonymous_caller_is_sent_to_sign_in_from_a_request_s_page()
    {
        await AddRequestAsync();
        using var anonymous = app.CreateTeamClient();

        AssertSentTo(await anonymous.GetAsync(One), "/account/login");
    }

    [Fact]
    public async Task An_anonymous_caller_is_sent_to_sign_in_from_the_register_s_csv()
    {
        await AddRequestAsync();
        using var anonymous = app.CreateTeamClient();

        AssertSentTo(await anonymous.GetAsync(Csv), "/account/login");
    }

    [Fact]
    public async Task A_dpo_opens_the_inbox_a_request_and_the_csv()
    {
        await AddRequestAsync();
        using var dpo = await SignedInDpoAsync();

        var list = await dpo.GetAsync(List);
        var one = await dpo.GetAsync(One);
        var csv = await dpo.GetAsync(Csv);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(">Rights requests</h1>", await list.Content.ReadAsStringAsync()); // the rows arrive once interactive (RequestsPageTests)
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Contains("ada@example.org", await one.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Contains(Reference, await csv.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_opens_the_inbox_a_request_and_the_csv()
    {
        await AddRequestAsync();
        using var admin = await app.SignedInAdminAsync();

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(List)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(One)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Csv)).StatusCode);
    }

    [Fact]
    public async Task The_menu_offers_requests_to_a_dpo_and_not_to_an_analyst()
    {
        await AddRequestAsync();
        using var dpo = await SignedInDpoAsync();
        using var analyst = await app.SignedInAnalystAsync();

        var dpoPage = await dpo.GetStringAsync("/admin");
        var analystPage = await analyst.GetStringAsync("/admin");

        Assert.Contains("href=\"/admin/requests\"", dpoPage);
        Assert.DoesNotContain("href=\"/admin/requests\"", analystPage);
    }
}
