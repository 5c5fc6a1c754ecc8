using System.Text.Json;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Members;
using Consent.Core.Requests;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Consent.Tests.Requests;

/// <summary>
/// The DPO's inbox on a real database and a real SMTP server: each step's rules, its event and audit entry (never a text or the requester's
/// address), the mails that must leave before a step is stored, the extension within the first month, and one-click fulfilment.
/// </summary>
public abstract class RequestInboxTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : RequestInboxTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : RequestInboxTests(TestEngine.Postgres);

    private const string Dpo = "dpo@example.org";
    private const string Requester = "ada@example.org";
    private static readonly Uri Center = new("https://consent.example.org/");

    private SmtpInbox inbox = null!;
    private bool inboxStopped;

    public override async ValueTask InitializeAsync()
    {
        inbox = await SmtpInbox.StartAsync();
        var settings = inbox.Settings("Mail:").ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["Requests:FileLinkDays"] = "14";
        db = await TestDatabase.CreateAsync(Engine, settings);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!inboxStopped) await inbox.DisposeAsync();
    }

    private RequestInbox Inbox => db.Get<RequestInbox>();

    private Task<RightsRequest> AddAsync(RequestType type = RequestType.Access, string language = "en", string? name = "Ada Lovelace",
        Action<RightsRequest>? with = null) => db.Services.AddOpenRequestAsync(type, language, name, with);

    private Task<(RightsRequest Request, List<RequestEvent> Events)> StoredAsync(RightsRequest request) => db.Services.StoredRequestAsync(request.Reference);

    /// <summary>The clock moved to <paramref name="at"/> (UTC), which lies ahead.</summary>
    private void MoveTo(DateTime at) => db.Time.SetUtcNow(new DateTimeOffset(at, TimeSpan.Zero));

    private async Task<List<AuditEntry>> AuditAsync(string? reference = null)
    {
        await using var context = db.NewContext();
        return await context.AuditEntries.AsNoTracking().Where(a => a.EntityType == "RightsRequest" && (reference == null || a.EntityKey == reference))
            .OrderBy(a => a.Id).ToListAsync();
    }

    private async Task<List<RequestFile>> FilesAsync(RightsRequest request)
    {
        await using var context = db.NewContext();
        return await context.RequestFiles.AsNoTracking().Where(f => f.RequestId == request.Id).OrderBy(f => f.CreatedAt).ToListAsync();
    }

    private async Task StopMailAsync()
    {
        await inbox.DisposeAsync();
        inboxStopped = true;
    }

    private async Task AddTeamAccountAsync(string email, string role)
    {
        await using var context = db.NewContext();
        var stored = await context.Roles.FirstOrDefaultAsync(r => r.Name == role);
        if (stored is null)
        {
            stored = new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() };
            context.Roles.Add(stored);
        }
        var user = new IdentityUser(email) { Email = email, NormalizedEmail = email.ToUpperInvariant(), NormalizedUserName = email.ToUpperInvariant() };
        context.Users.Add(user);
        context.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = stored.Id });
        await context.SaveChangesAsync();
    }

    private static string Text(MimeMessage mail) => mail.TextBody ?? "";

    /// <summary>The token of the mail's file link, which must be under the center's address.</summary>
    private static string FileToken(MimeMessage mail)
    {
        Assert.Contains("https://consent.example.org/privacy/request/file?token=", Text(mail));
        return mail.LinkTo("/privacy/request/file")["/privacy/request/file?token=".Length..];
    }

    [Fact]
    public async Task An_unknown_reference_and_a_request_not_yet_verified_are_refused_by_every_step()
    {
        var unverified = await AddAsync(with: r =>
        {
            r.Status = RequestStatus.AwaitingVerification;
            r.ReceivedAt = null;
            r.FirstDueOn = null;
            r.DueOn = null;
        });

        var unknown = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AddNoteAsync("R-NOSUCH00", "A note.", Dpo));
        var notVerified = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AddNoteAsync(unverified.Reference, "A note.", Dpo));
        var template = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.ReplyTemplateAsync(unverified.Reference));

        Assert.Equal("No request R-NOSUCH00 in the register.", unknown.Message);
        Assert.Contains("not in the register", notVerified.Message);
        Assert.Contains("confirmed their e-mail address", template.Message);
        Assert.Empty((await StoredAsync(unverified)).Events);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task Assigning_to_a_DPO_account_puts_an_open_request_in_progress_and_an_account_that_cannot_open_the_inbox_is_refused()
    {
        await AddTeamAccountAsync(Dpo, "DPO");
        await AddTeamAccountAsync("analyst@example.org", "Analyst");
        var request = await AddAsync();

        var analyst = await Assert.ThrowsAsync<ValidationException>(() => Inbox.AssignAsync(request.Reference, "analyst@example.org", "privacy@example.org"));
        var nobody = await Assert.ThrowsAsync<ValidationException>(() => Inbox.AssignAsync(request.Reference, "nobody@example.org", "privacy@example.org"));
        await Inbox.AssignAsync(request.Reference, "DPO@example.org", "privacy@example.org");
        var (assigned, events) = await StoredAsync(request);
        await Inbox.AssignAsync(request.Reference, null, "privacy@example.org");
        var (unassigned, _) = await StoredAsync(request);

        Assert.Equal(nameof(RequestStepInput.Assignee), Assert.Single(analyst.Errors).PropertyName);
        Assert.Contains("DPO or Admin role", nobody.Errors.Single().ErrorMessage);
        Assert.Equal((Dpo, RequestStatus.InProgress), (assigned.AssignedTo, assigned.Status));
        Assert.NotEqual(request.Stamp, assigned.Stamp);
        var assignedEvent = Assert.Single(events);
        Assert.Equal((RequestEventKinds.Assigned, "privacy@example.org", Dpo), (assignedEvent.Kind, assignedEvent.Actor, assignedEvent.Text));
        Assert.Equal((null, RequestStatus.InProgress), (unassigned.AssignedTo, unassigned.Status));
        Assert.Equal(["request.assign", "request.assign"], (await AuditAsync(request.Reference)).Select(a => a.Action));
    }

    [Fact]
    public async Task A_note_is_kept_in_the_history_never_mailed_and_never_in_the_audit_trail()
    {
        var request = await AddAsync();

        await Inbox.AddNoteAsync(request.Reference, "  Called Ada: she wants the 2025 newsletters too.  ", Dpo);

        var note = Assert.Single((await StoredAsync(request)).Events);
        Assert.Equal((RequestEventKinds.Note, Dpo, "Called Ada: she wants the 2025 newsletters too."), (note.Kind, note.Actor, note.Text));
        var entry = Assert.Single(await AuditAsync(request.Reference));
        Assert.Equal(("request.note", Dpo), (entry.Action, entry.Actor));
        Assert.DoesNotContain("newsletters", entry.After);
        Assert.DoesNotContain(Requester, entry.After);
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task A_blank_or_too_long_note_gets_a_field_message_and_changes_nothing()
    {
        var request = await AddAsync();

        var blank = await Assert.ThrowsAsync<ValidationException>(() => Inbox.AddNoteAsync(request.Reference, "   ", Dpo));
        var tooLong = await Assert.ThrowsAsync<ValidationException>(() => Inbox.AddNoteAsync(request.Reference, new string('x', RequestLimits.Note + 1), Dpo));

        Assert.Equal((nameof(RequestStepInput.Note), "Write the note."), (blank.Errors.Single().PropertyName, blank.Errors.Single().ErrorMessage));
        Assert.Equal($"A note is {RequestLimits.Note} characters at most; this one has {RequestLimits.Note + 1}.", tooLong.Errors.Single().ErrorMessage);
        var (stored, events) = await StoredAsync(request);
        Assert.Empty(events);
        Assert.Equal(request.Stamp, stored.Stamp);
        Assert.Empty(await AuditAsync());
    }

    [Theory]
    [InlineData(RequestType.Access, "en", "Ada Lovelace", "Dear Ada Lovelace,", "access request")]
    [InlineData(RequestType.Portability, "fr", null, "Bonjour,", "demande de portabilité")]
    [InlineData(RequestType.Erasure, "fr", "Ada", "Bonjour Ada,", "demande d'effacement")]
    [InlineData(RequestType.Objection, "en", null, "Hello,", "objection")]
    public async Task The_reply_template_is_the_types_in_the_requesters_language_with_their_name_and_the_reference(
        RequestType type, string language, string? name, string greeting, string words)
    {
        var request = await AddAsync(type, language, name);

        var template = await Inbox.ReplyTemplateAsync(request.Reference);

        Assert.StartsWith(greeting + "\n\n", template);
        Assert.Contains(words, template);
        Assert.Contains(request.Reference, template);
        if (type is RequestType.Access or RequestType.Portability) Assert.Contains(language == "fr" ? "valable 14 jours" : "works for 14 days", template);
    }

    [Fact]
    public void Every_type_has_a_template_in_English_and_in_French()
    {
        var missing = RequestVocabulary.Types
            .SelectMany(t => new[] { System.Globalization.CultureInfo.InvariantCulture, System.Globalization.CultureInfo.GetCultureInfo("fr") }
                .Select(c => (Key: $"Template.{RequestVocabulary.Name(t)}", Culture: c)))
            .Where(k => RequestTexts.Resources.GetResourceSet(k.Culture, createIfNotExists: true, tryParents: false)?.GetString(k.Key) is null)
            .Select(k => $"{k.Key} ({k.Culture.Name})");

        Assert.Empty(missing);
    }

    [Fact]
    public async Task A_reply_that_does_not_answer_mails_the_body_and_puts_the_request_in_progress()
    {
        var request = await AddAsync();

        await Inbox.ReplyAsync(request.Reference, "Which e-mail address did you subscribe with?", answers: false, Center, Dpo);

        var mail = await inbox.WaitForMailToAsync(Requester);
        Assert.Equal($"Your request {request.Reference}", mail.Subject);
        Assert.Contains("Which e-mail address did you subscribe with?", Text(mail));
        Assert.DoesNotContain("/privacy/request/file", Text(mail));
        var (stored, events) = await StoredAsync(request);
        Assert.Equal((RequestStatus.InProgress, null), (stored.Status, stored.ClosedAt));
        Assert.Equal([RequestEventKinds.Reply], events.Select(e => e.Kind));
        Assert.Equal("request.reply", Assert.Single(await AuditAsync(request.Reference)).Action);
    }

    [Fact]
    public async Task An_answering_reply_links_the_attached_export_stores_only_the_tokens_hash_and_closes_the_request()
    {
        var member = await db.Services.AddMemberAsync("ada", Requester);
        var request = await AddAsync(with: r => r.MemberId = member.Id);
        var attached = await Inbox.AttachMemberExportAsync(request.Reference, Dpo);

        await Inbox.ReplyAsync(request.Reference, await Inbox.ReplyTemplateAsync(request.Reference), answers: true, Center, Dpo);

        var mail = await inbox.WaitForMailToAsync(Requester);
        var token = FileToken(mail);
        Assert.Equal(43, token.Length);
        Assert.Contains("until 13 December 2026", Text(mail));
        Assert.Contains(attached.FileName, Text(mail));
        Assert.Empty(mail.Attachments);
        var file = Assert.Single(await FilesAsync(request));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), file.TokenHash);
        Assert.Equal(db.Time.GetUtcNow().UtcDateTime.AddDays(14), file.ExpiresAt!.Value, TimeSpan.FromMilliseconds(1));
        var (stored, events) = await StoredAsync(request);
        Assert.Equal(RequestStatus.Answered, stored.Status);
        Assert.NotNull(stored.ClosedAt);
        Assert.Equal([RequestEventKinds.FileAttached, RequestEventKinds.Reply, RequestEventKinds.Answered], events.Select(e => e.Kind));
        var opened = await Inbox.OpenFileAsync(token);
        Assert.Equal(attached.FileName, opened!.FileName);
        Assert.Equal(Requester, JsonDocument.Parse(opened.Content).RootElement.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal(1, (await FilesAsync(request)).Single().Downloads);
    }

    [Fact]
    public async Task A_file_already_sent_is_not_linked_again_by_a_later_reply()
    {
        var request = await AddAsync(with: r => r.VisitorId = ConsentCookie.NewVisitorId());
        await Inbox.AttachConsentHistoryAsync(request.Reference, Dpo);
        await Inbox.ReplyAsync(request.Reference, "Here is your history.", answers: false, Center, Dpo);
        var first = Assert.Single(await FilesAsync(request));

        await Inbox.ReplyAsync(request.Reference, "Anything else?", answers: false, Center, Dpo);

        Assert.Equal(2, inbox.Messages.Count);
        Assert.DoesNotContain("/privacy/request/file", Text(inbox.Messages[1]));
        Assert.Equal(first.TokenHash, Assert.Single(await FilesAsync(request)).TokenHash);
    }

    [Fact]
    public async Task A_link_opens_nothing_once_its_days_have_passed_and_an_unknown_token_nothing_at_all()
    {
        var request = await AddAsync(with: r => r.VisitorId = ConsentCookie.NewVisitorId());
        await Inbox.AttachConsentHistoryAsync(request.Reference, Dpo);
        await Inbox.ReplyAsync(request.Reference, "Here is your history.", answers: true, Center, Dpo);
        var token = FileToken(await inbox.WaitForMailToAsync(Requester));

        db.Time.Advance(TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1));
        var lastSecond = await Inbox.OpenFileAsync(token);
        db.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = await Inbox.OpenFileAsync(token);

        Assert.NotNull(lastSecond);
        Assert.Null(expired);
        Assert.True(await Inbox.LinkExpiredAsync(token));
        Assert.Null(await Inbox.OpenFileAsync(token[..^1] + (token[^1] == 'A' ? 'B' : 'A')));
        Assert.False(await Inbox.LinkExpiredAsync("not-a-token"));
        Assert.Null(await Inbox.OpenFileAsync(new string('a', 5000)));
    }

    [Fact]
    public async Task An_extension_on_day_30_mails_the_reason_and_the_new_due_date_and_one_on_day_32_is_refused()
    {
        MoveTo(new DateTime(2027, 1, 31, 9, 0, 0));
        var request = await AddAsync();
        var late = await AddAsync();
        Assert.Equal(new DateOnly(2027, 3, 1), request.FirstDueOn);

        MoveTo(new DateTime(2027, 3, 1, 19, 0, 0));
        await Inbox.ExtendAsync(request.Reference, 1, "We must gather your data from three archived systems.", Dpo);
        MoveTo(new DateTime(2027, 3, 3, 9, 0, 0));
        var refused = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.ExtendAsync(late.Reference, 1, "Too many requests.", Dpo));

        var mail = Assert.Single(inbox.Messages);
        Assert.Equal($"Your request {request.Reference}: we need more time to answer", mail.Subject);
        Assert.Contains("We must gather your data from three archived systems.", Text(mail));
        Assert.Contains("by Wednesday 31 March 2027 at the latest", Text(mail));
        Assert.Contains("Article 12(3)", Text(mail));
        var (stored, events) = await StoredAsync(request);
        Assert.Equal((RequestStatus.Extended, 1, new DateOnly(2027, 3, 31), new DateOnly(2027, 3, 1)), (stored.Status, stored.ExtensionMonths, stored.DueOn, stored.FirstDueOn));
        Assert.Equal("We must gather your data from three archived systems.", stored.ExtensionReason);
        Assert.Equal((RequestEventKinds.Extended, "We must gather your data from three archived systems."), (events.Single().Kind, events.Single().Text));
        Assert.Contains("ended on 1 March 2027", refused.Message);
        Assert.Contains("within the first month", refused.Message);
        var (unchanged, lateEvents) = await StoredAsync(late);
        Assert.Equal((RequestStatus.Open, 0, new DateOnly(2027, 3, 1)), (unchanged.Status, unchanged.ExtensionMonths, unchanged.DueOn));
        Assert.Empty(lateEvents);
        Assert.Empty(await AuditAsync(late.Reference));
    }

    [Fact]
    public async Task Two_extensions_of_a_month_make_the_two_further_months_and_a_third_is_refused()
    {
        MoveTo(new DateTime(2027, 1, 31, 9, 0, 0));
        var request = await AddAsync(language: "fr");

        MoveTo(new DateTime(2027, 2, 10, 9, 0, 0));
        await Inbox.ExtendAsync(request.Reference, 1, "Archives à consulter.", Dpo);
        await Inbox.ExtendAsync(request.Reference, 1, "Un sous-traitant doit répondre.", Dpo);
        var third = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.ExtendAsync(request.Reference, 1, "Encore.", Dpo));
        var tooMany = await Assert.ThrowsAsync<ValidationException>(() => Inbox.ExtendAsync(request.Reference, 3, "Trop.", Dpo));
        var noReason = await Assert.ThrowsAsync<ValidationException>(() => Inbox.ExtendAsync(request.Reference, 1, " ", Dpo));

        var (stored, _) = await StoredAsync(request);
        Assert.Equal((2, new DateOnly(2027, 4, 30)), (stored.ExtensionMonths, stored.DueOn));
        Assert.Contains("2 further months in all", third.Message);
        Assert.Equal(nameof(RequestStepInput.Months), tooMany.Errors.Single().PropertyName);
        Assert.Equal(nameof(RequestStepInput.Reason), noReason.Errors.Single().PropertyName);
        Assert.Equal(2, inbox.Messages.Count);
        Assert.Contains("au plus tard le vendredi 30 avril 2027", Text(inbox.Messages[1]));
        Assert.Equal(["request.extend", "request.extend"], (await AuditAsync(request.Reference)).Select(a => a.Action));
    }

    [Theory]
    [InlineData("en", "Your request {0}: our answer", "You have the right to lodge a complaint with the Commission Nationale de l'Informatique et des Libertés (CNIL), in particular on its website www.cnil.fr", "judicial remedy")]
    [InlineData("fr", "Votre demande {0} : notre réponse", "Vous avez le droit d'introduire une réclamation auprès de la Commission Nationale de l'Informatique et des Libertés (CNIL), notamment sur son site www.cnil.fr", "recours juridictionnel")]
    public async Task A_refusal_mails_the_reason_and_the_right_to_complain_to_the_CNIL_and_closes_the_request(string language, string subject, string cnil, string remedy)
    {
        var request = await AddAsync(RequestType.Rectification, language);

        await Inbox.RefuseAsync(request.Reference, "The data you ask to change is the record of a payment, which we must keep as it is.", Dpo);

        var mail = await inbox.WaitForMailToAsync(Requester);
        Assert.Equal(string.Format(subject, request.Reference), mail.Subject);
        Assert.Contains("The data you ask to change is the record of a payment, which we must keep as it is.", Text(mail));
        Assert.Contains(cnil, Text(mail));
        Assert.Contains(remedy, Text(mail));
        Assert.Contains("www.cnil.fr", mail.HtmlBody);
        var (stored, events) = await StoredAsync(request);
        Assert.Equal((RequestStatus.Refused, "The data you ask to change is the record of a payment, which we must keep as it is."), (stored.Status, stored.ClosingReason));
        Assert.NotNull(stored.ClosedAt);
        Assert.Equal(RequestEventKinds.Refused, events.Single().Kind);
        var entry = Assert.Single(await AuditAsync(request.Reference));
        Assert.Equal("request.refuse", entry.Action);
        Assert.DoesNotContain("payment", entry.After);
    }

    [Fact]
    public async Task A_refusal_without_a_reason_is_refused_with_a_field_message()
    {
        var request = await AddAsync();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Inbox.RefuseAsync(request.Reference, "", Dpo));

        Assert.Equal(nameof(RequestStepInput.Reason), error.Errors.Single().PropertyName);
        Assert.Equal(RequestStatus.Open, (await StoredAsync(request)).Request.Status);
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task A_withdrawal_closes_the_request_without_a_mail()
    {
        var request = await AddAsync();

        await Inbox.WithdrawAsync(request.Reference, "Ada wrote that she no longer needs it.", Dpo);

        var (stored, events) = await StoredAsync(request);
        Assert.Equal((RequestStatus.Withdrawn, "Ada wrote that she no longer needs it."), (stored.Status, stored.ClosingReason));
        Assert.NotNull(stored.ClosedAt);
        Assert.Equal(RequestEventKinds.Withdrawn, events.Single().Kind);
        Assert.Equal("request.withdraw", Assert.Single(await AuditAsync(request.Reference)).Action);
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task A_closed_request_refuses_every_further_step_but_its_template_can_still_be_read()
    {
        var member = await db.Services.AddMemberAsync("ada", Requester);
        var request = await AddAsync(RequestType.Access, with: r => r.MemberId = member.Id);
        await Inbox.ReplyAsync(request.Reference, "Here is everything.", answers: true, Center, Dpo);
        var audited = (await AuditAsync(request.Reference)).Count;

        var refusals = new List<RequestRuleException>
        {
            await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AddNoteAsync(request.Reference, "Late note.", Dpo)),
            await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AssignAsync(request.Reference, null, Dpo)),
            await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.ReplyAsync(request.Reference, "Again.", answers: true, Center, Dpo)),
            await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.ExtendAsync(request.Reference, 1, "More time.", Dpo)),
            await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.RefuseAsync(request.Reference, "No.", Dpo)),
            await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.WithdrawAsync(request.Reference, null, Dpo)),
            await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AttachMemberExportAsync(request.Reference, Dpo)),
        };

        Assert.All(refusals, e => Assert.Contains("is answered since", e.Message));
        Assert.Contains(request.Reference, await Inbox.ReplyTemplateAsync(request.Reference));
        Assert.Equal(audited, (await AuditAsync(request.Reference)).Count);
        Assert.Single(inbox.Messages);
        Assert.Empty(await FilesAsync(request));
    }

    [Fact]
    public async Task A_mail_that_cannot_leave_changes_nothing_and_tells_the_DPO()
    {
        var request = await AddAsync(with: r => r.VisitorId = ConsentCookie.NewVisitorId());
        await Inbox.AttachConsentHistoryAsync(request.Reference, Dpo);
        var (before, eventsBefore) = await StoredAsync(request);
        var auditBefore = (await AuditAsync(request.Reference)).Count;
        await StopMailAsync();

        var reply = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.ReplyAsync(request.Reference, "Here it is.", answers: true, Center, Dpo));
        var extension = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.ExtendAsync(request.Reference, 2, "Archives.", Dpo));
        var refusal = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.RefuseAsync(request.Reference, "Manifestly excessive.", Dpo));

        Assert.All([reply, extension, refusal], e => Assert.Contains("could not be e-mailed to the requester, so nothing was changed", e.Message));
        var (after, eventsAfter) = await StoredAsync(request);
        Assert.Equal((before.Status, before.DueOn, before.ExtensionMonths, before.ClosedAt, before.Stamp), (after.Status, after.DueOn, after.ExtensionMonths, after.ClosedAt, after.Stamp));
        Assert.Equal(eventsBefore.Count, eventsAfter.Count);
        Assert.Equal(auditBefore, (await AuditAsync(request.Reference)).Count);
        var file = Assert.Single(await FilesAsync(request));
        Assert.Equal((null, null, null), (file.TokenHash, file.SentAt, file.ExpiresAt));
    }

    [Fact]
    public async Task A_members_access_request_attaches_the_same_export_as_the_members_own_download()
    {
        var member = await db.Services.AddMemberAsync("ada", Requester, company: "Analytical Engines");
        var request = await AddAsync(RequestType.Portability, with: r => r.MemberId = member.Id);

        var summary = await Inbox.AttachMemberExportAsync(request.Reference, Dpo);

        var file = Assert.Single(await FilesAsync(request));
        Assert.Equal((summary.Id, $"my-data-{request.Reference}.json", "application/json", (long)file.Content!.Length), (file.Id, file.FileName, file.ContentType, summary.Bytes));
        var expected = DownloadJson.ToUtf8(await db.Get<MemberService>().ExportAsync(member.Id));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(file.Content));
        Assert.Equal("Analytical Engines", JsonDocument.Parse(file.Content).RootElement.GetProperty("profile").GetProperty("company").GetString());
        var (_, events) = await StoredAsync(request);
        Assert.Equal((RequestEventKinds.FileAttached, file.Id), (events.Single().Kind, events.Single().FileId));
        var entry = Assert.Single(await AuditAsync(request.Reference));
        Assert.Equal("request.attach", entry.Action);
        Assert.DoesNotContain(Requester, entry.After);
        await using var context = db.NewContext();
        Assert.True(await context.AuditEntries.AnyAsync(a => a.Action == "member.export" && a.EntityKey == member.Id && a.Actor == Dpo));
    }

    [Fact]
    public async Task The_export_is_refused_for_another_type_a_request_of_no_member_and_an_erased_account()
    {
        var member = await db.Services.AddMemberAsync("ada", Requester);
        var erasure = await AddAsync(RequestType.Erasure, with: r => r.MemberId = member.Id);
        var noMember = await AddAsync(RequestType.Access);
        var erasedMember = await db.Services.AddMemberAsync("grace", "grace@example.org");
        var gone = await AddAsync(RequestType.Access, with: r => r.MemberId = erasedMember.Id);
        await db.Get<MemberService>().EraseAsync(erasedMember.Id, ConsentSource.MemberPrivacy, MemberService.MemberActor, "Firefox");

        var wrongType = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AttachMemberExportAsync(erasure.Reference, Dpo));
        var notAMember = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AttachMemberExportAsync(noMember.Reference, Dpo));
        var erased = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AttachMemberExportAsync(gone.Reference, Dpo));

        Assert.Contains("only an access or portability request", wrongType.Message);
        Assert.Contains("is not linked to a member account", notAMember.Message);
        Assert.Contains("or the account is erased", erased.Message);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task The_export_is_refused_once_the_members_address_is_no_longer_the_requests()
    {
        var member = await db.Services.AddMemberAsync("ada", Requester);
        var request = await AddAsync(RequestType.Access, with: r => r.MemberId = member.Id);
        await using (var context = db.NewContext())
        {
            await context.Members.Where(m => m.Id == member.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Email, "ada.new@example.org"));
        }

        var refused = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AttachMemberExportAsync(request.Reference, Dpo));

        Assert.Contains("has another e-mail address since the request was verified", refused.Message);
        Assert.Empty(await FilesAsync(request));
    }

    [Fact]
    public async Task A_proven_visitor_gets_their_consent_history_and_an_unproven_consent_id_is_refused()
    {
        var receipt = await db.Get<ConsentService>().RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Firefox/128.0"));
        var visitor = receipt.Record.VisitorId!;
        var proven = await AddAsync(RequestType.Access, with: r => r.VisitorId = visitor);
        var unproven = await AddAsync(RequestType.Access, with: r => r.ConsentId = Guid.NewGuid());
        var none = await AddAsync(RequestType.Access);

        var summary = await Inbox.AttachConsentHistoryAsync(proven.Reference, Dpo);
        var notProven = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AttachConsentHistoryAsync(unproven.Reference, Dpo));
        var noId = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.AttachConsentHistoryAsync(none.Reference, Dpo));

        var document = JsonDocument.Parse(Assert.Single(await FilesAsync(proven)).Content!).RootElement;
        Assert.Equal(visitor, document.GetProperty("visitorId").GetString());
        Assert.Equal("accept-all", Assert.Single(document.GetProperty("records").EnumerateArray()).GetProperty("method").GetString());
        Assert.Equal($"consent-history-{proven.Reference}.json", summary.FileName);
        Assert.Contains("not proven by the requester's consent cookie", notProven.Message);
        Assert.Contains("quotes no consent id", noId.Message);
        Assert.Empty(await FilesAsync(unproven));
    }

    [Fact]
    public async Task An_erasure_request_erases_the_member_with_the_rights_request_source_and_stays_open_for_the_reply()
    {
        var member = await db.Services.AddMemberAsync("ada", Requester);
        await db.Services.OptInAsync(member, CommunicationPurposes.Newsletter);
        var request = await AddAsync(RequestType.Erasure, with: r => r.MemberId = member.Id);
        var access = await AddAsync(RequestType.Access, with: r => r.MemberId = member.Id);

        var notErasure = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.EraseMemberAsync(access.Reference, Dpo));
        await Inbox.EraseMemberAsync(request.Reference, Dpo);
        var again = await Assert.ThrowsAsync<RequestRuleException>(() => Inbox.EraseMemberAsync(request.Reference, Dpo));

        Assert.Contains("only an erasure request", notErasure.Message);
        Assert.Contains("erased already", again.Message);
        Assert.Null(await db.Get<MemberService>().FindAsync(member.Id));
        await using var context = db.NewContext();
        var erasureRecord = await context.ConsentRecords.AsNoTracking().SingleAsync(r => r.Method == ConsentMethod.Erasure);
        Assert.Equal(ConsentSource.RightsRequest, erasureRecord.Source);
        Assert.Equal("rights-request", ConsentVocabulary.Name(erasureRecord.Source));
        Assert.Equal(ConsentSource.RightsRequest, ConsentVocabulary.StoredSource("rights-request"));
        var memberErase = await context.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "member.erase");
        Assert.Equal(Dpo, memberErase.Actor);
        Assert.Contains("\"source\":\"rights-request\"", memberErase.After);
        var (stored, events) = await StoredAsync(request);
        Assert.Equal(RequestStatus.Open, stored.Status);
        Assert.Equal(RequestEventKinds.MemberErased, events.Single().Kind);
        var entry = Assert.Single(await AuditAsync(request.Reference));
        Assert.Equal("request.erase-member", entry.Action);
        Assert.Contains(erasureRecord.Id.ToString(), entry.After);
    }

    [Fact]
    public async Task Every_step_is_in_the_audit_trail_under_the_reference_without_the_requesters_address_or_any_text()
    {
        await AddTeamAccountAsync(Dpo, "DPO");
        var member = await db.Services.AddMemberAsync("ada", Requester);
        var request = await AddAsync(RequestType.Access, with: r => r.MemberId = member.Id);
        var other = await AddAsync(RequestType.Objection);
        var refused = await AddAsync(RequestType.Other);

        await Inbox.AssignAsync(request.Reference, Dpo, Dpo);
        await Inbox.AddNoteAsync(request.Reference, "Secret note text.", Dpo);
        await Inbox.AttachMemberExportAsync(request.Reference, Dpo);
        await Inbox.ExtendAsync(request.Reference, 1, "Secret extension reason.", Dpo);
        await Inbox.ReplyAsync(request.Reference, "Secret reply body.", answers: false, Center, Dpo);
        await Inbox.ReplyAsync(request.Reference, "Secret final body.", answers: true, Center, Dpo);
        await Inbox.WithdrawAsync(other.Reference, "Secret withdrawal reason.", Dpo);
        await Inbox.RefuseAsync(refused.Reference, "Secret refusal reason.", Dpo);

        var entries = await AuditAsync();
        Assert.Equal(["request.assign", "request.note", "request.attach", "request.extend", "request.reply", "request.answer"],
            entries.Where(e => e.EntityKey == request.Reference).Select(e => e.Action));
        Assert.Equal("request.withdraw", entries.Single(e => e.EntityKey == other.Reference).Action);
        Assert.Equal("request.refuse", entries.Single(e => e.EntityKey == refused.Reference).Action);
        Assert.All(entries, e =>
        {
            Assert.Equal(("RightsRequest", Dpo), (e.EntityType, e.Actor));
            Assert.DoesNotContain(Requester, (e.Before ?? "") + e.After);
            Assert.DoesNotContain("Secret", (e.Before ?? "") + e.After);
        });
        var answer = entries.Single(e => e.Action == "request.answer");
        Assert.Contains("\"status\":\"answered\"", answer.After);
        Assert.Contains("\"status\":\"extended\"", answer.Before);
    }
}
