using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Log.Receipts;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>The member's privacy page: e-mail choices as records, objection and restriction with their stated effects, the directive, deletion, and cookie choices that follow the member.</summary>
public abstract class MemberPrivacyPageTests(TestEngine engine) : AppTest(engine), IAsyncLifetime
{
    public sealed class OnSqlite() : MemberPrivacyPageTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : MemberPrivacyPageTests(TestEngine.Postgres);

    private const string Ada = "ada@example.org";
    private SmtpInbox inbox = null!;

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
    }

    private T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    /// <summary>Signs up and follows the confirmation link: a confirmed member, signed in on the returned browser.</summary>
    private async Task<HttpClient> SignedInMemberAsync(string acceptLanguage = "en-GB")
    {
        var browser = app.CreateTeamClient();
        browser.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        await browser.SignUpAsync("ada", Ada, acceptLanguage: acceptLanguage);
        var mail = await inbox.WaitForMailToAsync(Ada);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(mail.LinkTo("/members/confirm"))).StatusCode);
        return browser;
    }

    private async Task<Member> StoredAsync()
    {
        await using var db = await Get<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.Members.AsNoTracking().SingleAsync(m => m.NormalizedEmail == Ada.ToUpperInvariant());
    }

    /// <summary>Posts one form of the privacy page as a browser does: its handler name, its antiforgery token, and the fields named as the page names them.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string form, params (string Name, string Value)[] fields)
    {
        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync("/members/privacy"));
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var posted = new List<KeyValuePair<string, string>> { new("_handler", form), new("__RequestVerificationToken", token) };
        posted.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await browser.PostAsync("/members/privacy", new FormUrlEncodedContent(posted));
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> PageAsync(HttpClient browser, string path = "/members/privacy") =>
        new HtmlParser().ParseDocument(await browser.GetStringAsync(path));

    [Fact]
    public async Task Every_box_starts_unticked_and_saving_the_newsletter_records_it_and_mails_a_confirmation_with_one_click_unsubscribe()
    {
        var browser = await SignedInMemberAsync();
        var before = await PageAsync(browser);

        var saved = await PostAsync(browser, "emails", ("Emails.Posted", "true"), ("Emails.Newsletter", "true"));
        var after = await PageAsync(browser, saved.RedirectPath()!);

        Assert.All(CommunicationPurposes.All, p => Assert.False(before.QuerySelector($"#email-{p}")!.HasAttribute("checked")));
        Assert.Equal("/members/privacy?saved=emails", saved.RedirectPath());
        Assert.True(after.QuerySelector("#email-newsletter")!.HasAttribute("checked"));
        Assert.False(after.QuerySelector("#email-offers")!.HasAttribute("checked"));
        var record = Assert.Single(await StoredRecordsAsync());
        Assert.Equal(((await StoredAsync()).SubjectId, ConsentSource.MemberPrivacy), (record.VisitorId, record.Source));
        Assert.Contains(record.Id.ToString("D"), after.QuerySelector("[data-testid=emails-record]")!.TextContent);
        var mail = await inbox.WaitForAsync(m => m.Headers.Contains("List-Unsubscribe"), TimeSpan.FromSeconds(20));
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Contains(UnsubscribeLinks.Path, mail.Headers["List-Unsubscribe"]);
    }

    [Fact]
    public async Task The_receipt_of_the_email_choices_is_proved_by_the_log_as_a_cookie_choices_receipt_is()
    {
        var browser = await SignedInMemberAsync();
        var none = await browser.GetAsync("/members/receipt");
        await PostAsync(browser, "emails", ("Emails.Posted", "true"), ("Emails.Newsletter", "true"));

        var download = await browser.GetAsync("/members/receipt");
        var verified = ReceiptVerifier.Verify(await download.Content.ReadAsByteArrayAsync(), [.. await Get<CheckpointService>().VerifiersAsync()]);

        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal(Assert.Single(await StoredRecordsAsync()).Id, verified.ConsentId);
        Assert.True(verified.VisitorChecked);
        Assert.StartsWith("attachment;", download.Content.Headers.ContentDisposition!.ToString());
    }

    [Fact]
    public async Task An_objection_is_stated_and_stops_offers_that_stay_ticked()
    {
        var browser = await SignedInMemberAsync();
        await PostAsync(browser, "emails", ("Emails.Posted", "true"), ("Emails.Offers", "true"), ("Emails.Events", "true"));

        await PostAsync(browser, "objection", ("Objection.Value", "true"));
        // The same button again, as from a second tab opened before the first post: the objection stays.
        await PostAsync(browser, "objection", ("Objection.Value", "true"));
        var page = await PageAsync(browser);

        Assert.Contains("we send you no product news or commercial offer", page.QuerySelector("[data-testid=objection]")!.TextContent);
        Assert.True(page.QuerySelector("#email-offers")!.HasAttribute("checked"));
        Assert.NotNull(page.QuerySelector("[data-testid=email-offers-stopped]"));
        Assert.Null(page.QuerySelector("[data-testid=email-events-stopped]"));
        var state = await Get<CommunicationPreferences>().GetAsync(await StoredAsync());
        Assert.Equal((false, true), (state.Sends(CommunicationPurposes.Offers), state.Sends(CommunicationPurposes.Events)));
    }

    [Fact]
    public async Task A_restriction_is_stated_freezes_new_opt_ins_and_still_lets_the_member_withdraw()
    {
        var browser = await SignedInMemberAsync();
        await PostAsync(browser, "emails", ("Emails.Posted", "true"), ("Emails.Newsletter", "true"));
        await PostAsync(browser, "restriction", ("Restriction.Value", "true"));
        await PostAsync(browser, "restriction", ("Restriction.Value", "true"));

        var refused = await PostAsync(browser, "emails", ("Emails.Posted", "true"), ("Emails.Newsletter", "true"), ("Emails.Events", "true"));
        var refusedPage = new HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync());
        var withdrawn = await PostAsync(browser, "emails", ("Emails.Posted", "true"));
        var page = await PageAsync(browser);

        Assert.Contains("kept but frozen", page.QuerySelector("[data-testid=restriction]")!.TextContent);
        Assert.Contains("Lift the restriction first", refusedPage.QuerySelector("[data-testid=privacy-errors]")!.TextContent);
        Assert.Equal("/members/privacy?saved=emails", withdrawn.RedirectPath());
        Assert.True(page.QuerySelector("#email-events")!.HasAttribute("disabled"));
        Assert.Equal([ConsentMethod.Custom, ConsentMethod.Withdrawal], (await StoredRecordsAsync()).OrderBy(r => r.LogIndex).Select(r => r.Method));
    }

    [Fact]
    public async Task A_directive_to_pass_the_data_on_without_the_trusted_person_is_refused_with_field_messages_then_saved()
    {
        var browser = await SignedInMemberAsync("fr-FR");

        var refused = await PostAsync(browser, "directive", ("Directive.Directive", "PassToTrustedPerson"));
        var refusedPage = new HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync());
        await PostAsync(browser, "directive", ("Directive.Directive", "PassToTrustedPerson"), ("Directive.TrustedPersonName", "Byron"), ("Directive.TrustedPersonContact", "byron@example.org"));
        var page = await PageAsync(browser);

        Assert.Contains("Indiquez la personne de confiance", refusedPage.QuerySelector("[data-testid=privacy-errors]")!.TextContent);
        Assert.Contains("Transmettre mes données à une personne de confiance", page.QuerySelector("[data-testid=directive-current]")!.TextContent);
        var stored = await StoredAsync();
        Assert.Equal((DeathDirective.PassToTrustedPerson, "Byron"), (stored.Directive, stored.TrustedPersonName));
    }

    [Fact]
    public async Task The_download_needs_the_member_signed_in_and_holds_their_profile_and_records()
    {
        var browser = await SignedInMemberAsync();
        await PostAsync(browser, "emails", ("Emails.Posted", "true"), ("Emails.Events", "true"));

        var anonymous = await client.GetAsync("/members/export");
        var download = await browser.GetAsync("/members/export");
        using var json = JsonDocument.Parse(await download.Content.ReadAsStringAsync());

        Assert.StartsWith("/members/signin", anonymous.RedirectPath());
        Assert.Equal("attachment; filename=\"my-data.json\"", download.Content.Headers.ContentDisposition!.ToString());
        Assert.Equal("ada", json.RootElement.GetProperty("profile").GetProperty("userName").GetString());
        Assert.Equal(["events"], json.RootElement.GetProperty("communicationsOptedIn").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Deleting_the_account_after_confirmation_erases_it_signs_out_and_mails_the_address_it_had()
    {
        var browser = await SignedInMemberAsync("fr-FR");
        await PostAsync(browser, "emails", ("Emails.Posted", "true"), ("Emails.Newsletter", "true"));
        var confirm = new HtmlParser().ParseDocument(await browser.GetStringAsync("/members/delete"));
        var token = confirm.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var deleted = await browser.PostAsync("/members/delete", new FormUrlEncodedContent(
            [new("_handler", "delete-account"), new("__RequestVerificationToken", token), new("Confirm.Posted", "true")]));
        var afterwards = await browser.GetAsync("/members/privacy");

        Assert.StartsWith("/members/deleted?record=", deleted.RedirectPath());
        Assert.StartsWith("/members/signin", afterwards.RedirectPath());
        await using var db = await Get<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Members.AnyAsync());
        Assert.All(await StoredRecordsAsync(), r => Assert.Null(r.VisitorId));
        var mail = await inbox.WaitForAsync(m => m.Subject == "Votre compte est supprimé", TimeSpan.FromSeconds(20));
        Assert.Contains(deleted.RedirectPath()!["/members/deleted?record=".Length..], mail.TextBody);
    }

    [Fact]
    public async Task Signing_in_on_a_new_browser_applies_the_members_newer_cookie_choice_and_a_newer_choice_of_the_browser_wins()
    {
        var first = await SignedInMemberAsync();
        var accepted = await first.PostChoiceAsync(BannerForm("accept-all"));
        var acceptedCookie = accepted.ConsentCookieValue();
        app.Time.Advance(TimeSpan.FromMinutes(5));

        var fresh = app.CreateTeamClient();
        var signedIn = await fresh.SignInAsMemberAsync(Ada);
        var applied = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ConsentCookie.Name + "=", StringComparison.Ordinal));
        var other = app.CreateTeamClient();
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var own = (await other.PostChoiceAsync(BannerForm("reject-all"))).ConsentCookieValue();
        var keeps = await other.SignInAsMemberAsync(Ada);

        Assert.Equal(acceptedCookie, applied[(ConsentCookie.Name.Length + 1)..].Split(';')[0]);
        Assert.False(keeps.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith(ConsentCookie.Name + "=", StringComparison.Ordinal)));
        var member = await StoredAsync();
        var latest = await Get<MemberService>().LatestCookieChoiceAsync(member.Id);
        Assert.Equal(ConsentMethod.RejectAll, latest!.Method);
        Assert.Equal(Get<ConsentService>().VisitorIdOf(own), latest.VisitorId);
        Assert.Equal(CenterCookies.MemberSession, "cc_member");
    }
}
