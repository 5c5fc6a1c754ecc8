using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Consent.Core.Catalogue;
using Consent.Core.Persistence;
using Consent.Core.Requests;
using Consent.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>
/// The public rights-request form and its identity check: a code by e-mail that expires and counts wrong tries, a signed-in member
/// verified at once, a consent id proven by the visitor's own cookie, and only a verified request in the register with its due date.
/// </summary>
public abstract class RequestFormTests(TestEngine engine) : AppTest(engine), IAsyncLifetime
{
    public sealed class OnSqlite() : RequestFormTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : RequestFormTests(TestEngine.Postgres);

    private const string Ada = "ada@example.org";

    /// <summary>A request verified on the test clock's first day (Sunday 29 November 2026, Paris) is due a month on, Tuesday 29 December.</summary>
    private static readonly DateOnly DueOnFirstDay = new(2026, 12, 29);

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

    private HttpClient Browser(string acceptLanguage = "en-GB")
    {
        var browser = app.CreateTeamClient();
        browser.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        return browser;
    }

    /// <summary>Gets <paramref name="path"/> and posts its form <paramref name="form"/> with the antiforgery token it carries, fields named in full.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, string form, params (string Name, string Value)[] fields)
    {
        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync(path));
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{path} has no antiforgery token.");
        var posted = new List<KeyValuePair<string, string>> { new("_handler", form), new("__RequestVerificationToken", token) };
        posted.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        return await browser.PostAsync(path, new FormUrlEncodedContent(posted));
    }

    private static Task<HttpResponseMessage> FileAsync(HttpClient browser, string type, string email = Ada, string details = "", string consentId = "") =>
        PostAsync(browser, "/privacy/request", "request", ("Input.Type", type), ("Input.Email", email), ("Input.Name", "Ada Lovelace"),
            ("Input.Details", details), ("Input.ConsentId", consentId));

    private static Task<HttpResponseMessage> VerifyAsync(HttpClient browser, string reference, string code, string? path = null) =>
        PostAsync(browser, path ?? $"/privacy/request/verify?reference={reference}", "verify", ("Input.Reference", reference), ("Input.Code", code));

    private static Task<HttpResponseMessage> ResendAsync(HttpClient browser, string reference) =>
        PostAsync(browser, $"/privacy/request/verify?reference={reference}", "resend", ("Resend.Reference", reference));

    /// <summary>The reference of the request a filing redirected to the code page with.</summary>
    private static string ReferenceOf(HttpResponseMessage filed)
    {
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        var location = filed.RedirectPath()!;
        Assert.StartsWith(RequestService.VerifyPath + "?", location);
        return QueryHelpers.ParseQuery(new Uri("http://x" + location).Query)["reference"].ToString();
    }

    /// <summary>The code mails to <paramref name="address"/> so far, oldest first.</summary>
    private IReadOnlyList<MimeMessage> CodeMails(string address = Ada) =>
        inbox.Messages.Where(m => m.To.Mailboxes.Any(t => t.Address == address) && m.TextBody?.Contains(RequestService.VerifyPath) == true).ToList();

    /// <summary>The <paramref name="number"/>th code mail of the request (the earlier ones were waited for already).</summary>
    private async Task<MimeMessage> CodeMailAsync(string reference, int number = 1, string address = Ada)
    {
        var earlier = CodeMails(address).Where(m => m.Subject?.Contains(reference) == true).Take(number - 1).ToList();
        return await inbox.WaitForAsync(m => m.To.Mailboxes.Any(t => t.Address == address) && m.Subject?.Contains(reference) == true
            && m.TextBody?.Contains(RequestService.VerifyPath) == true && !earlier.Contains(m), TimeSpan.FromSeconds(20));
    }

    private static string CodeIn(MimeMessage mail) =>
        QueryHelpers.ParseQuery(new Uri("http://x" + mail.LinkTo(RequestService.VerifyPath)).Query)["code"].ToString();

    private static string WrongCode(string code) => code == "000000" ? "000001" : "000000";

    private async Task<List<RightsRequest>> StoredRequestsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.RightsRequests.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
    }

    private async Task<RightsRequest> StoredAsync(string reference) => Assert.Single(await StoredRequestsAsync(), r => r.Reference == reference);

    private static async Task<IHtmlDocument> PageOf(HttpResponseMessage response) => await response.PageAsync();

    /// <summary>Signs up and follows the confirmation link: a confirmed member, signed in on the returned browser.</summary>
    private async Task<HttpClient> SignedInMemberAsync(string userName, string email)
    {
        var browser = Browser();
        await browser.SignUpAsync(userName, email);
        var mail = await inbox.WaitForMailToAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(mail.LinkTo("/members/confirm"))).StatusCode);
        return browser;
    }

    [Fact]
    public async Task An_anonymous_request_waits_for_its_code_counts_a_wrong_one_and_the_right_one_puts_it_in_the_register_acknowledged()
    {
        var browser = Browser();

        var filed = await FileAsync(browser, "access");
        var reference = ReferenceOf(filed);
        var (_, codePage) = await browser.GetPageAsync(filed.RedirectPath()!);
        var waiting = await StoredAsync(reference);
        var code = CodeIn(await CodeMailAsync(reference));
        // From the page the filing led to, whose address says the code was sent.
        var wrong = await PageOf(await VerifyAsync(browser, reference, WrongCode(code), filed.RedirectPath()));
        var afterWrong = await StoredAsync(reference);
        app.Time.Advance(TimeSpan.FromMinutes(10));
        var right = await VerifyAsync(browser, reference, code);
        var verified = await StoredAsync(reference);
        var acknowledgement = await inbox.WaitForAsync(m => m.Subject?.Contains("We received your request") == true, TimeSpan.FromSeconds(20));

        Assert.Matches("^R-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$", reference);
        Assert.Equal((RequestStatus.AwaitingVerification, null, null, 1), (waiting.Status, waiting.DueOn, waiting.ReceivedAt, waiting.CodesSent));
        Assert.NotNull(waiting.CodeHash);
        Assert.DoesNotContain(code, waiting.CodeHash);
        Assert.Equal((RequestType.Access, "Ada Lovelace", "en"), (waiting.Type, waiting.Name, waiting.Language));
        Assert.Contains($"your request, reference {reference}, reaches the Data Protection Officer once the address is confirmed",
            codePage.QuerySelector("[data-testid=verify-sent]")!.TextContent);
        Assert.Equal(reference, codePage.QuerySelector("#verify-reference")!.GetAttribute("value"));
        Assert.Contains("Attempts left: 4", wrong.QuerySelector("[data-testid=verify-error]")!.TextContent);
        Assert.Null(wrong.QuerySelector("[data-testid=verify-sent]"));
        Assert.Equal(1, afterWrong.CodeAttempts);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var received = (await PageOf(right)).QuerySelector("[data-testid=request-received]")!.TextContent;
        Assert.Contains(reference, received);
        Assert.Contains("Tuesday, December 29, 2026", received);
        Assert.Contains("We sent you an acknowledgement by e-mail.", received);
        Assert.Equal((RequestStatus.Open, DueOnFirstDay, DueOnFirstDay), (verified.Status, verified.FirstDueOn, verified.DueOn));
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, verified.ReceivedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Null(verified.CodeHash);
        Assert.Null(verified.MemberId);
        Assert.Contains(reference, acknowledgement.Subject);
        Assert.Contains("Tuesday, December 29, 2026", acknowledgement.TextBody);
        Assert.Contains("two further months", acknowledgement.TextBody);
        Assert.Equal(Ada, acknowledgement.To.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task A_verified_request_whose_acknowledgement_cannot_be_mailed_stays_verified_and_the_page_does_not_claim_it_was_sent()
    {
        var browser = Browser();
        var filed = await FileAsync(browser, "access");
        var reference = ReferenceOf(filed);
        var code = CodeIn(await CodeMailAsync(reference));
        await inbox.DisposeAsync();

        var right = await VerifyAsync(browser, reference, code);

        var received = (await PageOf(right)).QuerySelector("[data-testid=request-received]")!.TextContent;
        Assert.Contains("We could not e-mail you an acknowledgement just now", received);
        Assert.DoesNotContain("We sent you an acknowledgement", received);
        Assert.Equal(RequestStatus.Open, (await StoredAsync(reference)).Status);
    }

    [Fact]
    public async Task Filing_and_verifying_are_in_the_history_and_the_audit_trail_without_the_address_or_the_code()
    {
        var browser = Browser();
        var reference = ReferenceOf(await FileAsync(browser, "erasure", details: "Please delete everything"));
        var code = CodeIn(await CodeMailAsync(reference));

        await VerifyAsync(browser, reference, code);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var request = await db.RightsRequests.AsNoTracking().SingleAsync();
        var events = await db.RequestEvents.AsNoTracking().Where(e => e.RequestId == request.Id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "RightsRequest").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([RequestEventKinds.Filed, RequestEventKinds.CodeSent, RequestEventKinds.Verified], events);
        Assert.Equal(["request.file", "request.verify"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(reference, a.EntityKey));
        Assert.All(audit, a => Assert.DoesNotContain("ada", a.After!, StringComparison.OrdinalIgnoreCase));
        Assert.All(audit, a => Assert.DoesNotContain(code, a.After!));
        Assert.All(audit, a => Assert.DoesNotContain("delete everything", a.After!));
        Assert.Contains("\"dueOn\":\"2026-12-29\"", audit[1].After);
    }

    [Fact]
    public async Task An_expired_code_is_refused_and_a_new_code_verifies()
    {
        var browser = Browser();
        var reference = ReferenceOf(await FileAsync(browser, "portability"));
        var first = CodeIn(await CodeMailAsync(reference));
        app.Time.Advance(TimeSpan.FromMinutes(61));

        var expired = await PageOf(await VerifyAsync(browser, reference, first));
        var stillWaiting = await StoredAsync(reference);
        var resent = await PageOf(await ResendAsync(browser, reference));
        var second = CodeIn(await CodeMailAsync(reference, number: 2));
        var old = await PageOf(await VerifyAsync(browser, reference, first));
        var verified = await VerifyAsync(browser, reference, second);

        Assert.Contains("This code has expired", expired.QuerySelector("[data-testid=verify-error]")!.TextContent);
        Assert.NotNull(expired.QuerySelector("[data-testid=resend-form]"));
        Assert.Equal((RequestStatus.AwaitingVerification, 0), (stillWaiting.Status, stillWaiting.CodeAttempts));
        Assert.Contains("New codes left after it: 1", resent.QuerySelector("[data-testid=verify-notice]")!.TextContent);
        Assert.Contains("not the right one", old.QuerySelector("[data-testid=verify-error]")!.TextContent);
        Assert.NotNull((await PageOf(verified)).QuerySelector("[data-testid=request-received]"));
        Assert.Equal(RequestStatus.Open, (await StoredAsync(reference)).Status);
    }

    [Fact]
    public async Task After_too_many_wrong_codes_even_the_right_one_is_refused()
    {
        var browser = Browser();
        var reference = ReferenceOf(await FileAsync(browser, "access"));
        var code = CodeIn(await CodeMailAsync(reference));

        for (var i = 0; i < 4; i++) await VerifyAsync(browser, reference, WrongCode(code));
        var fifth = await PageOf(await VerifyAsync(browser, reference, WrongCode(code)));
        var right = await PageOf(await VerifyAsync(browser, reference, code));

        Assert.Contains("Too many wrong codes", fifth.QuerySelector("[data-testid=verify-error]")!.TextContent);
        Assert.Contains("Too many wrong codes", right.QuerySelector("[data-testid=verify-error]")!.TextContent);
        Assert.Null(right.QuerySelector("[data-testid=request-received]"));
        var stored = await StoredAsync(reference);
        Assert.Equal((RequestStatus.AwaitingVerification, 5, null), (stored.Status, stored.CodeAttempts, stored.DueOn));
    }

    [Fact]
    public async Task Opening_the_mailed_link_fills_the_form_in_and_changes_nothing()
    {
        var browser = Browser();
        var reference = ReferenceOf(await FileAsync(browser, "access"));
        var mail = await CodeMailAsync(reference);
        var before = await StoredAsync(reference);

        var (response, page) = await browser.GetPageAsync(mail.LinkTo(RequestService.VerifyPath));
        await browser.GetPageAsync(mail.LinkTo(RequestService.VerifyPath));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(reference, page.QuerySelector("#verify-reference")!.GetAttribute("value"));
        Assert.Equal(CodeIn(mail), page.QuerySelector("#verify-code")!.GetAttribute("value"));
        var after = await StoredAsync(reference);
        Assert.Equal((before.Status, before.CodeAttempts, before.Stamp, (DateOnly?)null), (after.Status, after.CodeAttempts, after.Stamp, after.DueOn));
    }

    [Fact]
    public async Task A_request_gets_three_codes_in_all_and_is_then_told_to_file_again()
    {
        var browser = Browser();
        var reference = ReferenceOf(await FileAsync(browser, "access"));
        await CodeMailAsync(reference);

        await ResendAsync(browser, reference);
        await CodeMailAsync(reference, number: 2);
        var third = await PageOf(await ResendAsync(browser, reference));
        await CodeMailAsync(reference, number: 3);
        var fourth = await PageOf(await ResendAsync(browser, reference));

        Assert.Contains("New codes left after it: 0", third.QuerySelector("[data-testid=verify-notice]")!.TextContent);
        Assert.Contains("all the codes it can have", fourth.QuerySelector("[data-testid=verify-error]")!.TextContent);
        Assert.Null(fourth.QuerySelector("[data-testid=verify-form]"));
        Assert.Equal(3, (await StoredAsync(reference)).CodesSent);
        Assert.Equal(3, CodeMails().Count);
    }

    [Fact]
    public async Task A_signed_in_members_request_is_for_their_account_with_its_address_and_verified_at_once()
    {
        var browser = await SignedInMemberAsync("grace", "grace@example.org");
        var (_, form) = await browser.GetPageAsync("/privacy/request");

        var filed = await FileAsync(browser, "access", email: "someone.else@example.org");
        var acknowledgement = await inbox.WaitForAsync(m => m.Subject?.Contains("We received your request") == true, TimeSpan.FromSeconds(20));

        Assert.Equal("grace@example.org", form.QuerySelector("#request-email")!.GetAttribute("value"));
        Assert.True(form.QuerySelector("#request-email")!.HasAttribute("readonly"));
        Assert.Contains("this request is for your account", form.QuerySelector("[data-testid=request-member-note]")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, filed.StatusCode);
        var stored = Assert.Single(await StoredRequestsAsync());
        Assert.Contains(stored.Reference, (await PageOf(filed)).QuerySelector("[data-testid=request-received]")!.TextContent);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var member = await db.Members.AsNoTracking().SingleAsync();
        Assert.Equal((member.Id, "grace@example.org", RequestStatus.Open, (DateOnly?)DueOnFirstDay), (stored.MemberId, stored.Email, stored.Status, stored.DueOn));
        Assert.Equal(("grace@example.org", 0), (acknowledgement.To.Mailboxes.Single().Address, stored.CodesSent));
        Assert.Empty(CodeMails("grace@example.org"));
        Assert.Empty(CodeMails("someone.else@example.org"));
    }

    [Fact]
    public async Task An_anonymous_request_from_a_members_confirmed_address_is_verified_for_that_account()
    {
        var member = await app.Services.AddMemberAsync("hopper", "grace.hopper@example.org");
        await app.Services.AddMemberAsync("unconfirmed", "not.yet@example.org", confirmed: false);
        var browser = Browser();
        var linked = ReferenceOf(await FileAsync(browser, "access", email: "Grace.Hopper@Example.org"));
        var unlinked = ReferenceOf(await FileAsync(browser, "access", email: "not.yet@example.org"));

        await VerifyAsync(browser, linked, CodeIn(await CodeMailAsync(linked, address: "Grace.Hopper@Example.org")));
        await VerifyAsync(browser, unlinked, CodeIn(await CodeMailAsync(unlinked, address: "not.yet@example.org")));

        Assert.Equal(member.Id, (await StoredAsync(linked)).MemberId);
        Assert.Null((await StoredAsync(unlinked)).MemberId);
        Assert.Equal(RequestStatus.Open, (await StoredAsync(unlinked)).Status);
    }

    [Fact]
    public async Task A_consent_id_is_proven_by_the_visitors_own_cookie_and_only_quoted_when_it_is_someone_elses()
    {
        var browser = Browser();
        await browser.PostChoiceAsync(BannerForm("accept-all"));
        var own = Assert.Single(await StoredRecordsAsync());
        await client.PostChoiceAsync(BannerForm("reject-all"));
        var others = Assert.Single(await StoredRecordsAsync(), r => r.Id != own.Id);
        var (_, form) = await browser.GetPageAsync("/privacy/request");

        var proven = ReferenceOf(await FileAsync(browser, "withdrawal", consentId: own.Id.ToString("D")));
        var quoted = ReferenceOf(await FileAsync(browser, "withdrawal", consentId: others.Id.ToString("D")));
        var unknown = ReferenceOf(await FileAsync(browser, "withdrawal", consentId: Guid.NewGuid().ToString("D")));

        Assert.Equal(own.Id.ToString("D"), form.QuerySelector("#request-consent-id")!.GetAttribute("value"));
        Assert.Equal((own.Id, own.VisitorId), ((await StoredAsync(proven)).ConsentId, (await StoredAsync(proven)).VisitorId));
        Assert.Equal((others.Id, (string?)null), ((await StoredAsync(quoted)).ConsentId, (await StoredAsync(quoted)).VisitorId));
        Assert.Null((await StoredAsync(unknown)).VisitorId);
    }

    [Theory]
    [InlineData("", Ada, "", "", "Input.Type", "Choose what you ask for.")]
    [InlineData("forget-me", Ada, "", "", "Input.Type", "Choose one of the listed requests.")]
    [InlineData("access", "", "", "", "Input.Email", "Enter your e-mail address")]
    [InlineData("access", "not-an-address", "", "", "Input.Email", "Enter an e-mail address, such as name@example.org.")]
    [InlineData("access", "Ada <ada@example.org>", "", "", "Input.Email", "Enter an e-mail address, such as name@example.org.")]
    [InlineData("rectification", Ada, "", "", "Input.Details", "a request for \"Rectification: correct my data\" needs details")]
    [InlineData("access", Ada, "", "R-123", "Input.ConsentId", "A consent id looks like")]
    public async Task Bad_input_gets_its_field_message_and_stores_and_mails_nothing(string type, string email, string details, string consentId, string field, string message)
    {
        var browser = Browser();

        var response = await FileAsync(browser, type, email, details, consentId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await PageOf(response);
        var input = page.QuerySelector($"[name='{field}']")!;
        var messageId = input.GetAttribute("aria-describedby")!.Split(' ').Last();
        Assert.Contains(message, page.GetElementById(messageId)!.TextContent);
        Assert.Empty(await StoredRequestsAsync());
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task Details_longer_than_the_limit_are_refused_with_their_message()
    {
        var browser = Browser();

        var response = await FileAsync(browser, "other", details: new string('x', RequestLimits.Details + 1));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Details has at most 4000 characters.", (await PageOf(response)).GetElementById("request-details-error")!.TextContent);
        Assert.Empty(await StoredRequestsAsync());
    }

    [Fact]
    public async Task A_field_far_longer_than_any_request_is_refused_while_the_form_is_read()
    {
        var browser = Browser();

        var response = await FileAsync(browser, "other", details: new string('x', 200_000));

        // Refused while the form is read (its longest field is capped), so the page is not rendered again around 200 KB of input.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 10_000);
        Assert.Empty(await StoredRequestsAsync());
    }

    [Fact]
    public async Task A_french_visitor_reads_the_form_the_code_mail_and_the_acknowledgement_in_french()
    {
        var browser = Browser("fr-FR");
        var (_, form) = await browser.GetPageAsync("/privacy/request");

        var reference = ReferenceOf(await FileAsync(browser, "erasure"));
        var codeMail = await CodeMailAsync(reference);
        var verified = await PageOf(await VerifyAsync(browser, reference, CodeIn(codeMail)));
        var acknowledgement = await inbox.WaitForAsync(m => m.Subject?.Contains("Nous avons reçu votre demande") == true, TimeSpan.FromSeconds(20));

        Assert.Equal("Faire une demande sur vos données", form.QuerySelector("h1")!.TextContent);
        Assert.Equal("Effacement : supprimer mes données", form.QuerySelector("option[value=erasure]")!.TextContent);
        Assert.Equal("fr", (await StoredAsync(reference)).Language);
        Assert.StartsWith("Votre code pour confirmer la demande", codeMail.Subject);
        Assert.Contains("mardi 29 décembre 2026", verified.QuerySelector("[data-testid=request-received]")!.TextContent);
        Assert.Contains("mardi 29 décembre 2026", acknowledgement.TextBody);
        Assert.Contains("« Effacement : supprimer mes données »", acknowledgement.TextBody);
    }

    [Fact]
    public async Task The_form_is_a_visitor_page_with_the_banner_and_is_never_served_from_the_first_visit_cache()
    {
        var first = Browser();
        await first.GetPageAsync("/privacy/request");
        // With its antiforgery cookie now, the page sets none: without care it would be stored for every first visitor.
        var (_, again) = await first.GetPageAsync("/privacy/request");

        var (fresh, page) = await client.GetPageAsync("/privacy/request");

        Assert.NotNull(page.QuerySelector("[data-testid=consent-banner]"));
        Assert.Contains(CenterCookies.Antiforgery, fresh.SetCookieNames());
        Assert.NotEqual(again.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value"),
            page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task The_privacy_policy_and_the_members_privacy_page_link_to_the_form()
    {
        var member = await SignedInMemberAsync("ada", Ada);

        var (_, policy) = await client.GetPageAsync("/privacy");
        var (_, privacy) = await member.GetPageAsync("/members/privacy");

        Assert.Equal("/privacy/request", policy.QuerySelector("[data-testid=request-form-link] a")!.GetAttribute("href"));
        Assert.Equal("/privacy/request", privacy.QuerySelector("a[data-testid=request-form-link]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task A_members_export_lists_the_requests_verified_for_their_account()
    {
        var browser = await SignedInMemberAsync("ada", Ada);
        await FileAsync(browser, "access");
        var reference = Assert.Single(await StoredRequestsAsync()).Reference;

        using var export = JsonDocument.Parse(await browser.GetStringAsync("/members/export"));

        var request = Assert.Single(export.RootElement.GetProperty("rightsRequests").EnumerateArray());
        Assert.Equal(reference, request.GetProperty("reference").GetString());
        Assert.Equal(("access", "open", "2026-12-29"),
            (request.GetProperty("type").GetString(), request.GetProperty("status").GetString(), request.GetProperty("dueOn").GetString()));
    }

    [Fact]
    public async Task Too_many_posts_from_one_client_or_requests_to_one_address_are_answered_429_and_store_nothing()
    {
        await using var limited = new ConsentAppFactory(await ScratchDatabase.CreateAsync(Engine));
        foreach (var (key, value) in inbox.Settings()) limited.Settings[key] = value;
        limited.Settings["Consent:RateLimits:Enabled"] = "true";
        limited.Settings["Consent:RateLimits:RequestForms:PermitLimit"] = "4";
        limited.Settings["Consent:RateLimits:RequestMailsPerAddress:PermitLimit"] = "2";
        using var browser = limited.CreateTeamClient();
        Task<HttpResponseMessage> File(string email) =>
            browser.PostFormAsync("/privacy/request", "request", new Dictionary<string, string> { ["Type"] = "access", ["Email"] = email });

        var answers = new List<HttpResponseMessage> { await File(Ada), await File(Ada), await File(Ada), await File("grace@example.org"), await File("grace@example.org") };

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests],
            answers.Select(a => a.StatusCode));
        Assert.StartsWith("Too many mails were sent to this address", (await answers[2].PageAsync()).QuerySelector("#request-error")!.TextContent);
        Assert.StartsWith("Too many requests came from your network", (await answers[4].PageAsync()).QuerySelector("#request-error")!.TextContent);
        Assert.True(int.Parse(answers[4].Headers.RetryAfter!.ToString()) > 0);
        await using var db = await limited.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        Assert.Equal(3, await db.RightsRequests.CountAsync());
    }
}
