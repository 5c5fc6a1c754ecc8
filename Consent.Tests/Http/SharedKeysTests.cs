using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Consent.Core.Catalogue;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Http;

/// <summary>
/// Data Protection's keys live in the database: what one instance signed or encrypted (the team's session, an
/// antiforgery token) another instance, or the same one after a restart, reads. A certificate can protect them at rest.
/// </summary>
public abstract class SharedKeysTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : SharedKeysTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : SharedKeysTests(TestEngine.Postgres);

    /// <summary>Signs the first Admin in on <paramref name="to"/> with a form served by <paramref name="formFrom"/>.</summary>
    private static Task<HttpResponseMessage> SignInAsync(HttpClient formFrom, HttpClient to) =>
        TeamSignIn.SignInAcrossAsync(formFrom, to, ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword);

    private static async Task<HttpStatusCode> AdminStatusAsync(HttpClient instance, string sessionCookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/export/statistics.csv?from=2026-11-29&to=2026-11-29");
        request.Headers.Add("Cookie", sessionCookie);
        return (await instance.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task A_team_member_stays_signed_in_across_a_restart_of_the_center()
    {
        var signedIn = await SignInAsync(client, client);
        var session = TeamSignIn.CookiePair(signedIn, CenterCookies.TeamSession);

        // A new process on the same database: nothing of the first one's memory.
        await using var restarted = app.AnotherInstance();
        using var afterRestart = restarted.CreateVisitorClient();

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await AdminStatusAsync(afterRestart, session));
    }

    [Fact]
    public async Task A_sign_in_form_served_by_one_instance_is_accepted_by_another_and_its_session_works_on_both()
    {
        await using var second = app.AnotherInstance();
        using var other = second.CreateVisitorClient();

        var signedIn = await SignInAsync(client, other);
        var session = TeamSignIn.CookiePair(signedIn, CenterCookies.TeamSession);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await AdminStatusAsync(client, session));
        Assert.Equal(HttpStatusCode.OK, await AdminStatusAsync(other, session));
    }

    [Fact]
    public async Task A_forged_session_cookie_is_refused()
    {
        Assert.Equal(HttpStatusCode.Redirect, await AdminStatusAsync(client, "cc_team=CfDJ8" + new string('A', 300)));
    }
}
