using System.Net;
using AngleSharp.Html.Parser;
using Consent.App.Components.Account;
using Consent.Core.Audit;
using Consent.Core.Persistence;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.PrivacyTeam;

/// <summary>
/// Sign-in tells a stranger nothing about which emails have an account: the same answer and the same work for an unknown
/// email, a wrong password and a locked account; attempts are limited per client and per email; events are audited.
/// </summary>
public abstract class SignInTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : SignInTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : SignInTests(TestEngine.Postgres);

    private const string Unknown = "nobody@example.org";
    private const string Wrong = "not the password at all";
    private readonly CountingHasher hasher = new();

    protected override void Configure(IDictionary<string, string> settings) =>
        app.TestServices = services => services.AddSingleton<IPasswordHasher<IdentityUser>>(hasher);

    /// <summary>A browser's client behind the trusted proxy, which names its address.</summary>
    private HttpClient TeamClientFrom(string address, ConsentAppFactory? on = null)
    {
        var team = (on ?? app).CreateTeamClient();
        team.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return team;
    }

    private static async Task<(HttpStatusCode Status, string? Message)> AnswerOf(HttpResponseMessage response)
    {
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, page.QuerySelector("#login-error")?.TextContent);
    }

    private async Task LockTheAdminAsync()
    {
        using var attacker = TeamClientFrom("203.0.113.66");
        for (var i = 0; i < 5; i++) await attacker.SignInAsync(ConsentAppFactory.AdminEmail, Wrong);
    }

    private async Task<List<AuditEntry>> AccountAuditAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Account").OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>An app of its own with the sign-in limits on (windows as shipped: 5 minutes per client, 15 per email).</summary>
    private async Task<ConsentAppFactory> LimitedAppAsync(int perClient, int perAccount)
    {
        var limited = new ConsentAppFactory(await ScratchDatabase.CreateAsync(Engine));
        limited.Settings["Consent:RateLimits:Enabled"] = "true";
        limited.Settings["Consent:RateLimits:SignIn:PermitLimit"] = perClient.ToString();
        limited.Settings["Consent:RateLimits:SignInPerAccount:PermitLimit"] = perAccount.ToString();
        return limited;
    }

    [Fact]
    public async Task An_unknown_email_a_wrong_password_and_a_locked_account_get_the_same_answer()
    {
        await app.CreateMemberAsync(TeamSignIn.AnalystEmail, TeamRoles.Analyst, TeamSignIn.AnalystPassword);
        await LockTheAdminAsync();
        using var stranger = app.CreateTeamClient();

        var unknown = await AnswerOf(await stranger.SignInAsync(Unknown, Wrong));
        var wrongPassword = await AnswerOf(await stranger.SignInAsync(TeamSignIn.AnalystEmail, Wrong));
        var lockedWithTheRightPassword = await AnswerOf(await stranger.SignInAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword));

        Assert.Equal((HttpStatusCode.OK, LoginPage.Refused), unknown);
        Assert.Equal(unknown, wrongPassword);
        Assert.Equal(unknown, lockedWithTheRightPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_email_and_a_locked_account_cost_a_password_hash_as_a_wrong_password_does()
    {
        await LockTheAdminAsync();
        using var stranger = app.CreateTeamClient();

        var unknown = await hasher.VerificationsDuring(() => stranger.SignInAsync(Unknown, Wrong));
        var locked = await hasher.VerificationsDuring(() => stranger.SignInAsync(ConsentAppFactory.AdminEmail, Wrong));
        await app.CreateMemberAsync(TeamSignIn.AnalystEmail, TeamRoles.Analyst, TeamSignIn.AnalystPassword);
        var wrongPassword = await hasher.VerificationsDuring(() => stranger.SignInAsync(TeamSignIn.AnalystEmail, Wrong));

        Assert.Equal(1, wrongPassword);
        Assert.Equal(wrongPassword, unknown);
        Assert.Equal(wrongPassword, locked);
    }

    [Fact]
    public async Task Attempts_are_limited_per_email_alike_for_an_account_and_for_an_email_without_one()
    {
        await using var limited = await LimitedAppAsync(perClient: 100, perAccount: 3);
        var answers = new Dictionary<string, List<(HttpStatusCode, string?)>>();
        var address = 0;

        foreach (var email in new[] { ConsentAppFactory.AdminEmail, Unknown })
        {
            answers[email] = [];
            for (var i = 0; i < 4; i++)
            {
                // From a new address each time, and written differently: the limit is the email's, whoever tries it.
                using var someone = TeamClientFrom($"203.0.113.{++address}", limited);
                var typed = i % 2 == 0 ? email : $" {email.ToUpperInvariant()} ";
                var password = i == 3 && email == ConsentAppFactory.AdminEmail ? ConsentAppFactory.AdminPassword : Wrong;
                answers[email].Add(await AnswerOf(await someone.SignInAsync(typed, password)));
            }
        }

        Assert.All(answers.Values, a => Assert.Equal(Enumerable.Repeat((HttpStatusCode.OK, (string?)LoginPage.Refused), 3), a[..3]));
        var (status, message) = answers[ConsentAppFactory.AdminEmail][3];
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.StartsWith("Too many sign-in attempts for this email. Try again in 15 minutes", message);
        Assert.Equal((status, message), answers[Unknown][3]);
    }

    [Fact]
    public async Task Attempts_are_limited_per_client_whatever_the_email_and_another_client_still_signs_in()
    {
        await using var limited = await LimitedAppAsync(perClient: 3, perAccount: 100);
        using var guesser = TeamClientFrom("203.0.113.7", limited);
        for (var i = 0; i < 3; i++) await guesser.SignInAsync($"guess{i}@example.org", Wrong);

        var refused = await guesser.SignInAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword);
        using var colleague = TeamClientFrom("198.51.100.20", limited);
        var signedIn = await colleague.SignInAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword);

        var (status, message) = await AnswerOf(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.StartsWith("Too many sign-in attempts from your network. Try again in 5 minutes", message);
        Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 300);
        Assert.Equal(HttpStatusCode.Redirect, (await guesser.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task A_sign_in_a_sign_out_failures_and_a_lockout_are_written_to_the_audit_trail()
    {
        await app.CreateMemberAsync(TeamSignIn.AnalystEmail, TeamRoles.Analyst, TeamSignIn.AnalystPassword);
        using var analyst = app.CreateTeamClient();
        await analyst.SignInAsync(TeamSignIn.AnalystEmail, TeamSignIn.AnalystPassword);
        using var signOut = new HttpRequestMessage(HttpMethod.Post, "/account/logout");
        signOut.Headers.Add("Sec-Fetch-Site", "same-origin");
        await analyst.SendAsync(signOut);

        for (var i = 0; i < 6; i++) await analyst.SignInAsync(TeamSignIn.AnalystEmail, Wrong);

        var audit = await AccountAuditAsync();
        Assert.Equal(
            ["account.sign-in", "account.sign-out", .. Enumerable.Repeat("account.sign-in-failure", 5), "account.lockout", "account.sign-in-failure"],
            audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(TeamSignIn.AnalystEmail, a.EntityKey));
        Assert.Equal([TeamSignIn.AnalystEmail, TeamSignIn.AnalystEmail], audit.Take(2).Select(a => a.Actor));
        Assert.All(audit.Skip(2), a => Assert.Equal(SignInService.NotSignedIn, a.Actor));
        Assert.Contains("wrong-password", audit[2].After);
        Assert.Contains("lockedUntil", audit[7].After);
        Assert.Contains("locked-out", audit[8].After);
        Assert.All(audit, a => Assert.DoesNotContain(Wrong, a.After ?? ""));
    }

    [Fact]
    public async Task A_failure_for_an_email_without_an_account_writes_no_audit_entry()
    {
        using var stranger = app.CreateTeamClient();

        await stranger.SignInAsync(Unknown, Wrong);

        Assert.Empty(await AccountAuditAsync());
    }

    /// <summary>Identity's own hasher, counting how often it verifies a password: the work that takes the time.</summary>
    private sealed class CountingHasher : IPasswordHasher<IdentityUser>
    {
        private readonly PasswordHasher<IdentityUser> real = new();
        private int verifications;

        public string HashPassword(IdentityUser user, string password) => real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(IdentityUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref verifications);
            return real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }

        public async Task<int> VerificationsDuring(Func<Task> attempt)
        {
            var before = Volatile.Read(ref verifications);
            await attempt();
            return Volatile.Read(ref verifications) - before;
        }
    }
}
