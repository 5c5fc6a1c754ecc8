using System.Net;
using Consent.App.Components.Members;
using Consent.Core.Audit;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Consent.Tests.Http;

/// <summary>
/// The members' account pages over the real app, with the account mails received by a real SMTP server: sign-up and its
/// confirmation link, sign-in and lockout, a forgotten password, a new e-mail address, and the answers that tell a stranger nothing.
/// </summary>
public abstract class MemberAccountsTests(TestEngine engine) : AppTest(engine), IAsyncLifetime
{
    public sealed class OnSqlite() : MemberAccountsTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : MemberAccountsTests(TestEngine.Postgres);

    private const string Ada = "ada@example.org";
    private const string Unknown = "nobody@example.org";
    private SmtpInbox inbox = null!;
    private readonly CapturedLog log = new();

    public new async ValueTask InitializeAsync()
    {
        inbox = await SmtpInbox.StartAsync();
        await base.InitializeAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await inbox.DisposeAsync();
    }

    protected override void Configure(IDictionary<string, string> settings)
    {
        foreach (var (key, value) in inbox.Settings()) settings[key] = value;
        app.Log = log;
    }

    private HttpClient Browser() => app.CreateTeamClient();

    /// <summary>Signs up and follows the confirmation link: a confirmed member, signed in on the returned browser.</summary>
    private async Task<HttpClient> ConfirmedMemberAsync(string userName = "ada", string email = Ada)
    {
        var browser = Browser();
        await browser.SignUpAsync(userName, email);
        var mail = await inbox.WaitForMailToAsync(email);
        var confirmed = await browser.GetAsync(mail.LinkTo("/members/confirm"));
        if (confirmed.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"The confirmation answered {(int)confirmed.StatusCode}.");
        return browser;
    }

    private async Task<Member?> StoredMemberAsync(string email)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.NormalizedEmail == email.ToUpperInvariant());
    }

    private async Task<int> MemberCountAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.Members.CountAsync();
    }

    private async Task<List<AuditEntry>> MemberAuditAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Member").OrderBy(a => a.Id).ToListAsync();
    }

    private static string? Text(AngleSharp.Html.Dom.IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim();

    [Fact]
    public async Task Sign_up_mails_a_confirmation_link_that_confirms_and_signs_in()
    {
        using var browser = Browser();

        var signUp = await browser.SignUpAsync("ada", Ada, more: new Dictionary<string, string> { ["Company"] = "Analytical Engines" });
        var stored = await StoredMemberAsync(Ada);
        var mail = await inbox.WaitForMailToAsync(Ada);
        var confirm = await browser.GetAsync(mail.LinkTo("/members/confirm"));
        var confirmed = await StoredMemberAsync(Ada);

        Assert.Equal(HttpStatusCode.OK, signUp.StatusCode);
        Assert.Contains(Ada, Text(await signUp.PageAsync(), "[data-testid=signup-sent]"));
        Assert.NotNull(stored);
        Assert.False(stored.EmailConfirmed);
        Assert.Equal(("en", "Analytical Engines", TestDatabase.Start.UtcDateTime), (stored.Language, stored.Company, stored.CreatedAt));
        Assert.Matches("^[0-9a-f]{32}$", stored.SubjectId);
        Assert.Equal("Confirm your e-mail address", mail.Subject);
        Assert.Null(mail.Headers[HeaderId.ListUnsubscribe]);
        Assert.NotNull(mail.HtmlBody);
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        Assert.Equal("/members/privacy", confirm.RedirectPath());
        Assert.True(confirm.SetsMemberCookie());
        Assert.True(confirmed!.EmailConfirmed);
        var audit = await MemberAuditAsync();
        Assert.Equal(["member.sign-up", "member.confirm"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(stored.Id, a.EntityKey));
        Assert.DoesNotContain(audit, a => (a.After ?? "").Contains("ada@", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Ada, log.AllText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(MemberPages.Password, log.AllText);
    }

    [Fact]
    public async Task A_wrong_or_expired_confirmation_link_says_so_and_offers_a_new_one()
    {
        // Identity's token provider reads the system clock, not the app's: a lifespan of one tick makes every link expired.
        await using var expiring = new ConsentAppFactory(await ScratchDatabase.CreateAsync(Engine));
        foreach (var (key, value) in inbox.Settings()) expiring.Settings[key] = value;
        expiring.TestServices = services => services.PostConfigure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromTicks(1));
        using var browser = Browser();
        using var late = expiring.CreateTeamClient();
        await browser.SignUpAsync("ada", Ada);
        await late.SignUpAsync("grace", "grace@example.org");
        var link = (await inbox.WaitForMailToAsync(Ada)).LinkTo("/members/confirm");
        var expiredLink = (await inbox.WaitForMailToAsync("grace@example.org")).LinkTo("/members/confirm");

        var tampered = await browser.GetAsync(link[..^4] + "AAAA");
        var expired = await late.GetAsync(expiredLink);
        var good = await browser.GetAsync(link);

        foreach (var answer in new[] { tampered, expired })
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            var page = await answer.PageAsync();
            Assert.NotNull(Text(page, "[data-testid=confirm-invalid]"));
            Assert.NotNull(page.QuerySelector("a[href='/members/confirm/resend']"));
            Assert.False(answer.SetsMemberCookie());
        }
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
    }

    [Fact]
    public async Task An_unconfirmed_member_is_refused_with_a_way_to_resend_the_link()
    {
        using var browser = Browser();
        await browser.SignUpAsync("ada", Ada);
        await inbox.WaitForMailToAsync(Ada);

        var signIn = await browser.SignInAsMemberAsync(Ada);
        var resend = await browser.PostFormAsync("/members/confirm/resend", "resend", new Dictionary<string, string> { ["Email"] = Ada });

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var page = await signIn.PageAsync();
        Assert.NotNull(Text(page, "#signin-unconfirmed"));
        Assert.NotNull(page.QuerySelector("a[href='/members/confirm/resend']"));
        Assert.False(signIn.SetsMemberCookie());
        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        Assert.Equal(2, inbox.Messages.Count(m => m.Subject == "Confirm your e-mail address"));
    }

    [Fact]
    public async Task A_confirmed_member_signs_in_by_username_or_address_and_only_back_into_members_pages()
    {
        (await ConfirmedMemberAsync()).Dispose();
        using var first = Browser();
        using var second = Browser();

        var byName = await first.SignInAsMemberAsync("ADA", path: "/members/signin?returnUrl=%2Fmembers%2Femail");
        var byAddress = await second.SignInAsMemberAsync(Ada, path: "/members/signin?returnUrl=%2Fadmin");

        Assert.Equal("/members/email", byName.RedirectPath());
        Assert.True(byName.SetsMemberCookie());
        Assert.Equal("/members/privacy", byAddress.RedirectPath());
        Assert.Contains("member.sign-in", (await MemberAuditAsync()).Select(a => a.Action));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_out_with_the_answer_an_unknown_account_gets()
    {
        (await ConfirmedMemberAsync()).Dispose();
        using var stranger = Browser();

        for (var i = 0; i < 5; i++) await stranger.SignInAsMemberAsync(Ada, "not the password at all");
        var locked = await stranger.SignInAsMemberAsync(Ada);
        var unknown = await stranger.SignInAsMemberAsync(Unknown);

        Assert.False(locked.SetsMemberCookie());
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Equal(MemberTexts.In(new("en"), "SignIn.Refused"), Text(await locked.PageAsync(), "#signin-error"));
        Assert.Equal(Text(await locked.PageAsync(), "#signin-error"), Text(await unknown.PageAsync(), "#signin-error"));
        var audit = await MemberAuditAsync();
        Assert.Equal(5, audit.Count(a => a.Action == "member.sign-in-failure" && a.After!.Contains("wrong-password")));
        Assert.Single(audit, a => a.Action == "member.lockout");
        Assert.Single(audit, a => a.Action == "member.sign-in-failure" && a.After!.Contains("locked-out"));
    }

    [Fact]
    public async Task The_reset_link_sets_a_new_password_the_old_one_no_longer_works_and_other_sessions_end()
    {
        using var signedIn = await ConfirmedMemberAsync();
        using var browser = Browser();

        var forgot = await browser.PostFormAsync("/members/forgot-password", "forgot-password", new Dictionary<string, string> { ["Email"] = Ada });
        var link = (await inbox.WaitForAsync(m => m.Subject == "Choose a new password", TimeSpan.FromSeconds(10))).LinkTo("/members/reset-password");
        var reset = await browser.PostFormAsync(link, "reset-password", new Dictionary<string, string> { ["Password"] = "another long passphrase" });
        var again = await browser.PostFormAsync(link, "reset-password", new Dictionary<string, string> { ["Password"] = "a third long passphrase" });
        var old = await Browser().SignInAsMemberAsync(Ada);
        var renewed = await Browser().SignInAsMemberAsync(Ada, "another long passphrase");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        var otherSession = await signedIn.GetAsync("/members/email");

        Assert.Equal(HttpStatusCode.OK, forgot.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal("/members/signin?passwordReset=true", reset.RedirectPath());
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.False(old.SetsMemberCookie());
        Assert.True(renewed.SetsMemberCookie());
        Assert.Equal(HttpStatusCode.Redirect, otherSession.StatusCode);
        Assert.StartsWith(MemberPages.SignInPath, otherSession.RedirectPath());
        Assert.Contains("member.password-reset", (await MemberAuditAsync()).Select(a => a.Action));
    }

    [Fact]
    public async Task A_new_address_is_mailed_a_link_and_becomes_the_accounts_only_when_it_is_followed()
    {
        using var browser = await ConfirmedMemberAsync();
        const string NewAddress = "ada.lovelace@example.net";

        var asked = await browser.PostFormAsync("/members/email", "member-email", new Dictionary<string, string> { ["Email"] = NewAddress });
        var mail = await inbox.WaitForMailToAsync(NewAddress);
        var before = await StoredMemberAsync(Ada);
        var confirmed = await Browser().GetAsync(mail.LinkTo("/members/email/confirm"));
        var notice = await inbox.WaitForAsync(m => m.Subject == "Your account's e-mail address changed", TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains(NewAddress, Text(await asked.PageAsync(), "[data-testid=email-sent]"));
        Assert.Equal("Confirm your new e-mail address", mail.Subject);
        Assert.DoesNotContain(inbox.Messages, m => m.Subject == "Confirm your new e-mail address" && m.To.Mailboxes.Any(t => t.Address == Ada));
        Assert.NotNull(before);
        Assert.DoesNotContain(NewAddress, mail.LinkTo("/members/email/confirm"));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains(NewAddress, Text(await confirmed.PageAsync(), "[data-testid=email-changed]"));
        Assert.Null(await StoredMemberAsync(Ada));
        Assert.True((await StoredMemberAsync(NewAddress))!.EmailConfirmed);
        Assert.Equal(Ada, notice.To.Mailboxes.Single().Address);
        var change = Assert.Single(await MemberAuditAsync(), a => a.Action == "member.email-change");
        Assert.DoesNotContain("example", change.After ?? "");
    }

    [Fact]
    public async Task Bad_sign_up_input_gets_a_message_under_each_field_and_stores_nothing()
    {
        (await ConfirmedMemberAsync()).Dispose();
        using var browser = Browser();

        var bad = await browser.SignUpAsync("a", "not an address", "short",
            more: new Dictionary<string, string> { ["LinkedInUrl"] = "http://example.org/me" });
        var taken = await browser.SignUpAsync("Ada", "someone@example.org");
        var fewCharacters = await browser.SignUpAsync("grace", "grace@example.org", "aaaaaaaaaaaaaaab");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var page = await bad.PageAsync();
        Assert.Equal("A username has 3 to 50 characters.", Text(page, "#username-error"));
        Assert.Equal("Enter an e-mail address, such as name@example.org.", Text(page, "#email-error"));
        Assert.StartsWith("A password has at least 12 characters", Text(page, "#password-error"));
        Assert.StartsWith("Enter the https address of your LinkedIn profile", Text(page, "#linkedin-error"));
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Equal("This username is already taken; choose another.", Text(await taken.PageAsync(), "#username-error"));
        Assert.Equal(HttpStatusCode.BadRequest, fewCharacters.StatusCode);
        Assert.Equal("A password has at least 5 different characters.", Text(await fewCharacters.PageAsync(), "#password-error"));
        Assert.Equal(1, await MemberCountAsync());
        Assert.Single(inbox.Messages);
    }

    [Fact]
    public async Task Sign_up_and_a_forgotten_password_answer_the_same_for_a_known_and_an_unknown_address()
    {
        (await ConfirmedMemberAsync()).Dispose();
        using var browser = Browser();

        var knownSignUp = await browser.SignUpAsync("ada2", Ada);
        var unknownSignUp = await browser.SignUpAsync("grace", "grace@example.org");
        var knownForgot = await browser.PostFormAsync("/members/forgot-password", "forgot-password", new Dictionary<string, string> { ["Email"] = Ada });
        var unknownForgot = await browser.PostFormAsync("/members/forgot-password", "forgot-password", new Dictionary<string, string> { ["Email"] = Unknown });
        var warning = await inbox.WaitForAsync(m => m.Subject == "Someone tried to sign up with your address", TimeSpan.FromSeconds(10));

        Assert.Equal(knownSignUp.StatusCode, unknownSignUp.StatusCode);
        Assert.Equal(Text(await knownSignUp.PageAsync(), "main")!.Replace(Ada, "@"), Text(await unknownSignUp.PageAsync(), "main")!.Replace("grace@example.org", "@"));
        Assert.Equal(knownForgot.StatusCode, unknownForgot.StatusCode);
        Assert.Equal(Text(await knownForgot.PageAsync(), "main")!.Replace(Ada, "@"), Text(await unknownForgot.PageAsync(), "main")!.Replace(Unknown, "@"));
        Assert.Equal(Ada, warning.To.Mailboxes.Single().Address);
        Assert.Contains("/members/forgot-password", warning.TextBody);
        Assert.Equal(2, await MemberCountAsync());
        Assert.DoesNotContain(inbox.Messages, m => m.Subject == "Choose a new password" && m.To.Mailboxes.Any(t => t.Address == Unknown));
    }

    [Fact]
    public async Task A_french_sign_up_reads_in_french_and_gets_its_mails_in_french()
    {
        using var browser = Browser();

        var (_, form) = await browser.GetPageAsync("/members/signup", acceptLanguage: "fr-FR");
        var bad = await browser.SignUpAsync("x", "pas une adresse", acceptLanguage: "fr-FR");
        await browser.SignUpAsync("marie", "marie@example.fr", acceptLanguage: "fr-FR");
        var mail = await inbox.WaitForMailToAsync("marie@example.fr");

        Assert.Equal("Créer votre compte", Text(form, "h1"));
        Assert.Contains("(facultatif)", Text(form, "label[for=company]"));
        Assert.Equal("Saisissez une adresse e-mail, par exemple nom@example.org.", Text(await bad.PageAsync(), "#email-error"));
        Assert.Equal("fr", (await StoredMemberAsync("marie@example.fr"))!.Language);
        Assert.Equal("Confirmez votre adresse e-mail", mail.Subject);
        Assert.StartsWith("Bonjour marie,", mail.TextBody);
    }

    [Fact]
    public async Task A_member_cookie_never_opens_the_teams_center_and_a_team_cookie_is_not_a_member()
    {
        using var member = await ConfirmedMemberAsync();
        using var team = await app.SignedInAdminAsync();

        var admin = await member.GetAsync("/admin");
        var account = await team.GetAsync("/members/email");

        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.StartsWith("http://localhost/account/login", admin.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.Equal(MemberForms.SignInFor("/members/email"), account.RedirectPath());
    }

    [Fact]
    public async Task Signing_out_is_a_post_that_ends_the_session_and_goes_home()
    {
        using var browser = await ConfirmedMemberAsync();

        var shown = await browser.GetAsync("/members/signout");
        var signedOut = await browser.PostFormAsync("/members/signout", "member-signout", new Dictionary<string, string>());
        var after = await browser.GetAsync("/members/email");

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/", signedOut.RedirectPath());
        Assert.Equal(MemberForms.SignInFor("/members/email"), after.RedirectPath());
    }

    [Fact]
    public async Task A_signed_in_member_changes_the_password_only_with_the_current_one()
    {
        using var browser = await ConfirmedMemberAsync();

        var wrong = await browser.PostFormAsync("/members/password", "member-password",
            new Dictionary<string, string> { ["CurrentPassword"] = "not the password at all", ["Password"] = "another long passphrase" });
        var changed = await browser.PostFormAsync("/members/password", "member-password",
            new Dictionary<string, string> { ["CurrentPassword"] = MemberPages.Password, ["Password"] = "another long passphrase" });
        var old = await Browser().SignInAsMemberAsync(Ada);
        var renewed = await Browser().SignInAsMemberAsync(Ada, "another long passphrase");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("This is not your current password.", Text(await wrong.PageAsync(), "#current-password-error"));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotNull(Text(await changed.PageAsync(), "[data-testid=password-changed]"));
        Assert.False(old.SetsMemberCookie());
        Assert.True(renewed.SetsMemberCookie());
    }

    [Fact]
    public async Task Too_many_posts_from_one_client_are_answered_429_with_retry_after()
    {
        await using var limited = new ConsentAppFactory(await ScratchDatabase.CreateAsync(Engine));
        foreach (var (key, value) in inbox.Settings()) limited.Settings[key] = value;
        limited.Settings["Consent:RateLimits:Enabled"] = "true";
        limited.Settings["Consent:RateLimits:MemberForms:PermitLimit"] = "2";
        limited.Settings["Consent:RateLimits:SignIn:PermitLimit"] = "2";
        using var browser = limited.CreateTeamClient();
        var forgot = new Dictionary<string, string> { ["Email"] = Unknown };

        var first = await browser.PostFormAsync("/members/forgot-password", "forgot-password", forgot);
        await browser.PostFormAsync("/members/forgot-password", "forgot-password", forgot);
        var third = await browser.PostFormAsync("/members/forgot-password", "forgot-password", forgot);
        await browser.SignInAsMemberAsync(Unknown);
        await browser.SignInAsMemberAsync(Unknown);
        var signIn = await browser.SignInAsMemberAsync(Unknown);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        foreach (var refused in new[] { third, signIn })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString()) > 0);
        }
        Assert.StartsWith("Too many attempts from your network", Text(await third.PageAsync(), "#forgot-error"));
        Assert.StartsWith("Too many attempts from your network", Text(await signIn.PageAsync(), "#signin-error"));
    }
}
