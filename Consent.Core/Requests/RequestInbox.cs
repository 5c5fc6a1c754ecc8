using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Mail;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Consent.Core.PrivacyTeam;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consent.Core.Requests;

/// <summary>
/// What the DPO does with a request in the register: assign it, keep notes, reply from a template, extend it within the first month,
/// refuse it with the right to complain to the CNIL, record its withdrawal, and fulfil it in one click where the center holds the data
/// (a member's export, a visitor's consent history, a member's erasure). Every step is a <see cref="RequestEvent"/> and an audit entry,
/// in the same save. Refusals of the rules throw <see cref="RequestRuleException"/>; bad input throws FluentValidation's
/// <c>ValidationException</c> with field messages.
/// </summary>
public sealed class RequestInbox(
    IDbContextFactory<ConsentDbContext> dbFactory,
    RequestDeadlines deadlines,
    RequestMails mails,
    MemberService members,
    ConsentHistoryService history,
    TeamAccounts team,
    IValidator<RequestStepInput> validator,
    IOptions<RequestOptions> options,
    TimeProvider time)
{
    /// <summary>The path of a file link, under the center's address.</summary>
    public const string FilePath = "privacy/request/file";

    /// <summary>Longer than any token this center makes (43 characters): refused before hashing.</summary>
    private const int MaxTokenLength = 64;

    public async Task AssignAsync(string reference, string? assignee, string actor, CancellationToken ct = default)
    {
        await ValidateAsync(new RequestStepInput { Assignee = assignee }, RequestStepInputValidator.Assign, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await PendingAsync(db, reference, ct);
        var account = string.IsNullOrWhiteSpace(assignee) ? null : (await team.EmailsInRolesAsync(TeamRoles.AnswerRequests, ct)).FirstOrDefault(a => string.Equals(a, assignee.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ValidationException([new ValidationFailure(nameof(RequestStepInput.Assignee),
                $"{assignee.Trim()} is not a team account with the DPO or Admin role, who alone can open the inbox.")]);
        if (account == request.AssignedTo) return;
        var before = Snapshot(request);
        request.AssignedTo = account;
        if (account is not null && request.Status == RequestStatus.Open) request.Status = RequestStatus.InProgress;
        var now = Now();
        Record(db, request, now, actor, RequestEventKinds.Assigned, "request.assign", account, before);
        await SaveAsync(db, request, ct);
    }

    public async Task AddNoteAsync(string reference, string note, string actor, CancellationToken ct = default)
    {
        await ValidateAsync(new RequestStepInput { Note = note }, RequestStepInputValidator.AddNote, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await PendingAsync(db, reference, ct);
        Record(db, request, Now(), actor, RequestEventKinds.Note, "request.note", note.Trim(), Snapshot(request));
        await SaveAsync(db, request, ct);
    }

    /// <summary>The reply's starting text for the request's type, in the requester's language, with their name and reference filled in.</summary>
    public async Task<string> ReplyTemplateAsync(string reference, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await InRegisterAsync(db, reference, ct);
        var culture = CultureInfo.GetCultureInfo(request.Language);
        return string.Join("\n\n",
            RequestMails.Greeting(request, culture),
            RequestTexts.In(culture, $"Template.{RequestVocabulary.Name(request.Type)}", request.Reference, options.Value.FileLinkDays),
            RequestTexts.In(culture, "Template.Closing"));
    }

    /// <summary>
    /// E-mails <paramref name="body"/> to the requester with a link to each attached file not sent yet. With <paramref name="answers"/> the
    /// request is answered (closed); otherwise it stays pending (a question, a progress note) and becomes in progress.
    /// </summary>
    public async Task ReplyAsync(string reference, string body, bool answers, Uri center, string actor, CancellationToken ct = default)
    {
        await ValidateAsync(new RequestStepInput { Body = body }, RequestStepInputValidator.Reply, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await PendingAsync(db, reference, ct);
        var files = await db.RequestFiles.Where(f => f.RequestId == request.Id && f.SentAt == null && f.Content != null)
            .OrderBy(f => f.CreatedAt).ToListAsync(ct);
        var now = Now();
        var expiresAt = now.AddDays(options.Value.FileLinkDays);
        var links = new List<(string FileName, Uri Link)>();
        foreach (var file in files)
        {
            var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            file.TokenHash = TokenHash(token);
            file.SentAt = now;
            file.ExpiresAt = expiresAt;
            links.Add((file.FileName, new Uri(center, $"{FilePath}?token={token}")));
        }

        await MailAsync(() => mails.SendReplyAsync(request, body, links, deadlines.DayOf(expiresAt), options.Value.FileLinkDays, ct), "reply");

        var before = Snapshot(request);
        if (answers)
        {
            request.Status = RequestStatus.Answered;
            request.ClosedAt = now;
        }
        else if (request.Status == RequestStatus.Open)
        {
            request.Status = RequestStatus.InProgress;
        }
        db.RequestEvents.Add(new RequestEvent { RequestId = request.Id, At = now, Actor = actor, Kind = RequestEventKinds.Reply, Text = body.Trim() });
        Record(db, request, now, actor, answers ? RequestEventKinds.Answered : null, answers ? "request.answer" : "request.reply", null, before,
            new { filesLinked = files.Count, linksExpireAt = files.Count == 0 ? (DateTime?)null : expiresAt });
        await SaveAsync(db, request, ct);
    }

    /// <summary>Extends the due date by 1 or 2 further months and tells the requester why; refused once the first month has passed.</summary>
    public async Task ExtendAsync(string reference, int months, string reason, string actor, CancellationToken ct = default)
    {
        await ValidateAsync(new RequestStepInput { Months = months, Reason = reason }, RequestStepInputValidator.Extend, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await PendingAsync(db, reference, ct);
        if (request.ExtensionMonths + months > RequestDeadlines.MaxExtensionMonths)
        {
            throw new RequestRuleException($"Request {request.Reference} is already extended by {request.ExtensionMonths} month(s): GDPR Art. 12(3) "
                + $"allows {RequestDeadlines.MaxExtensionMonths} further months in all, so it can be extended by {RequestDeadlines.MaxExtensionMonths - request.ExtensionMonths} more at most.");
        }
        if (!deadlines.CanExtend(request.FirstDueOn!.Value))
        {
            throw new RequestRuleException($"The first month of request {request.Reference} ended on {request.FirstDueOn.Value:d MMMM yyyy}: GDPR Art. 12(3) "
                + $"allows an extension only if the requester is told within the first month, so it cannot be extended now. It is due on {request.DueOn:d MMMM yyyy}.");
        }
        var total = request.ExtensionMonths + months;
        var dueOn = deadlines.DueOn(request.ReceivedAt!.Value, 1 + total);

        await MailAsync(() => mails.SendExtendedAsync(request, reason, dueOn, total, ct), "extension");

        var before = Snapshot(request);
        var now = Now();
        request.ExtensionMonths = total;
        request.ExtensionReason = reason.Trim();
        request.ExtendedAt = now;
        request.DueOn = dueOn;
        request.Status = RequestStatus.Extended;
        Record(db, request, now, actor, RequestEventKinds.Extended, "request.extend", reason.Trim(), before);
        await SaveAsync(db, request, ct);
    }

    /// <summary>Closes the request as refused and tells the requester the reason and their right to complain to the CNIL.</summary>
    public async Task RefuseAsync(string reference, string reason, string actor, CancellationToken ct = default)
    {
        await ValidateAsync(new RequestStepInput { Reason = reason }, RequestStepInputValidator.Refuse, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await PendingAsync(db, reference, ct);

        await MailAsync(() => mails.SendRefusedAsync(request, reason, ct), "refusal");

        var before = Snapshot(request);
        var now = Now();
        request.Status = RequestStatus.Refused;
        request.ClosedAt = now;
        request.ClosingReason = reason.Trim();
        Record(db, request, now, actor, RequestEventKinds.Refused, "request.refuse", reason.Trim(), before);
        await SaveAsync(db, request, ct);
    }

    /// <summary>Closes the request as withdrawn by the requester (their message to the DPO), without mailing them.</summary>
    public async Task WithdrawAsync(string reference, string? reason, string actor, CancellationToken ct = default)
    {
        await ValidateAsync(new RequestStepInput { Reason = reason }, RequestStepInputValidator.Withdraw, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await PendingAsync(db, reference, ct);
        var before = Snapshot(request);
        var now = Now();
        var text = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        request.Status = RequestStatus.Withdrawn;
        request.ClosedAt = now;
        request.ClosingReason = text;
        Record(db, request, now, actor, RequestEventKinds.Withdrawn, "request.withdraw", text, before);
        await SaveAsync(db, request, ct);
    }

    /// <summary>Access or portability for a verified member: attaches their export (JSON), audited as <c>member.export</c>.</summary>
    public async Task<RequestFileSummary> AttachMemberExportAsync(string reference, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await PendingAsync(db, reference, ct);
        if (request.Type is not (RequestType.Access or RequestType.Portability))
        {
            throw new RequestRuleException($"Request {request.Reference} is a {RequestVocabulary.Name(request.Type)} request: only an access or portability request attaches the member's export.");
        }
        // An erased account leaves its requests pointing at no member (SetNull), as one never verified for a member.
        if (request.MemberId is null || await members.FindAsync(request.MemberId, ct) is not { } member)
        {
            throw new RequestRuleException($"Request {request.Reference} is not linked to a member account (it was not filed while signed in nor confirmed "
                + "from a member's address, or the account is erased): there is no export to attach.");
        }
        // The export goes to the request's address: it must still be the account's, or it would reach someone the account left.
        if (!string.Equals(member.Email.Trim(), request.Email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestRuleException($"The member's account of request {request.Reference} has another e-mail address since the request was verified: "
                + "confirm with the requester before sending their data.");
        }
        var export = await members.ExportAsync(request.MemberId, actor, ct);
        return await AttachAsync(db, request, $"my-data-{request.Reference}.json", DownloadJson.ToUtf8(export), "member-export", actor, ct);
    }

    /// <summary>A request whose consent id the requester's cookie proved: attaches that visitor's consent history (JSON).</summary>
    public async Task<RequestFileSummary> AttachConsentHistoryAsync(string reference, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await PendingAsync(db, reference, ct);
        if (request.VisitorId is null)
        {
            throw new RequestRuleException(request.ConsentId is null
                ? $"Request {request.Reference} quotes no consent id: there is no consent history to attach."
                : $"The consent id of request {request.Reference} was not proven by the requester's consent cookie: its history cannot be given to them.");
        }
        var records = await history.GetHistoryAsync(request.VisitorId, ct);
        var document = new ConsentHistoryDocument(request.VisitorId, Now(), records);
        return await AttachAsync(db, request, $"consent-history-{request.Reference}.json", DownloadJson.ToUtf8(document), "consent-history", actor, ct);
    }

    /// <summary>Erasure for a verified member, once the DPO has confirmed it: runs the member's erasure as the members' own does.</summary>
    public async Task EraseMemberAsync(string reference, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await PendingAsync(db, reference, ct);
        if (pending.Type != RequestType.Erasure)
        {
            throw new RequestRuleException($"Request {pending.Reference} is a {RequestVocabulary.Name(pending.Type)} request: only an erasure request erases the member's account.");
        }
        if (await db.RequestEvents.AnyAsync(e => e.RequestId == pending.Id && e.Kind == RequestEventKinds.MemberErased, ct))
        {
            throw new RequestRuleException($"The member account of request {pending.Reference} is erased already: reply to the requester to close the request.");
        }
        var erasure = pending.MemberId is null ? null : await members.EraseAsync(pending.MemberId, ConsentSource.RightsRequest, actor, "none", ct);
        if (erasure is null)
        {
            throw new RequestRuleException($"Request {pending.Reference} is not linked to a member account (it was not filed while signed in nor confirmed "
                + "from a member's address, or the account is erased): there is no account to erase.");
        }

        // The erasure is stored by now: the step is recorded on a fresh read, so that a change made meanwhile cannot lose it.
        db.ChangeTracker.Clear();
        var request = await db.RightsRequests.FirstAsync(r => r.Id == pending.Id, ct);
        Record(db, request, Now(), actor, RequestEventKinds.MemberErased, "request.erase-member", null, Snapshot(request),
            new { records = erasure.UnlinkedRecords, erasureRecord = erasure.ErasureRecordId });
        await SaveAsync(db, request, ct);
    }

    /// <summary>The file a link opens, or null when the token is unknown or the link has expired; counts the download.</summary>
    public async Task<RequestFileDownload?> OpenFileAsync(string token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = TokenHash(token);
        var file = await db.RequestFiles.FirstOrDefaultAsync(f => f.TokenHash == hash, ct);
        var now = Now();
        if (file?.Content is null || file.ExpiresAt is not { } expires || expires <= now) return null;
        file.Downloads++;
        file.LastDownloadAt = now;
        await db.SaveChangesAsync(ct);
        return new RequestFileDownload(file.FileName, file.ContentType, file.Content);
    }

    /// <summary>Whether the token is a link this center sent whose time has passed (or whose file was removed): the requester asks the DPO again.</summary>
    public async Task<bool> LinkExpiredAsync(string token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = TokenHash(token);
        var now = Now();
        return await db.RequestFiles.AnyAsync(f => f.TokenHash == hash && (f.Content == null || f.ExpiresAt <= now), ct);
    }

    private async Task<RequestFileSummary> AttachAsync(ConsentDbContext db, RightsRequest request, string fileName, byte[] content, string what, string actor,
        CancellationToken ct)
    {
        var now = Now();
        var file = new RequestFile { RequestId = request.Id, FileName = fileName, ContentType = DownloadJson.ContentType, Content = content, CreatedAt = now };
        db.RequestFiles.Add(file);
        db.RequestEvents.Add(new RequestEvent { RequestId = request.Id, At = now, Actor = actor, Kind = RequestEventKinds.FileAttached, Text = fileName, FileId = file.Id });
        AuditTrail.Record(db, now, actor, "request.attach", "RightsRequest", request.Reference, null, new { file = what, bytes = content.Length });
        await SaveAsync(db, request, ct);
        return new RequestFileSummary(file.Id, file.FileName, file.ContentType, content.Length, now, null, null, 0);
    }

    /// <summary>A request of the register still waiting for its answer: unknown, unverified and closed ones refuse every step.</summary>
    private static async Task<RightsRequest> PendingAsync(ConsentDbContext db, string reference, CancellationToken ct)
    {
        var request = await InRegisterAsync(db, reference, ct);
        if (RequestVocabulary.IsClosed(request.Status))
        {
            throw new RequestRuleException($"Request {request.Reference} is {RequestVocabulary.Name(request.Status)} since {request.ClosedAt:d MMMM yyyy}: a closed request takes no further step.");
        }
        return request;
    }

    private static async Task<RightsRequest> InRegisterAsync(ConsentDbContext db, string reference, CancellationToken ct)
    {
        var wanted = reference?.Trim() ?? "";
        var request = wanted.Length is 0 or > RequestLimits.Reference ? null : await db.RightsRequests.FirstOrDefaultAsync(r => r.Reference == wanted, ct);
        if (request is null) throw new RequestRuleException($"No request {reference} in the register.");
        if (request.Status == RequestStatus.AwaitingVerification)
        {
            throw new RequestRuleException($"Request {request.Reference} is not in the register: the requester has not confirmed their e-mail address yet.");
        }
        return request;
    }

    /// <summary>The account's e-mail as Identity stores it, when it holds a role that opens the inbox.</summary>
    private async Task ValidateAsync(RequestStepInput input, string step, CancellationToken ct) =>
        await validator.ValidateAsync(input, o => o.IncludeRuleSets(step).ThrowOnFailures(), ct);

    /// <summary>Sends a mail the step depends on: one that cannot leave stops the step before anything is stored.</summary>
    private static async Task MailAsync(Func<Task> send, string what)
    {
        try
        {
            await send();
        }
        catch (MailNotSentException e)
        {
            throw new RequestRuleException($"The {what} could not be e-mailed to the requester, so nothing was changed: {e.Message} Try again once mail works.");
        }
    }

    /// <summary>The step's event (when it has a kind) and its audit entry: reference, type, status and dates, never a text or an address.</summary>
    private static void Record(ConsentDbContext db, RightsRequest request, DateTime now, string actor, string? kind, string action, string? text, object before,
        object? extra = null)
    {
        if (kind is not null) db.RequestEvents.Add(new RequestEvent { RequestId = request.Id, At = now, Actor = actor, Kind = kind, Text = text });
        var after = Snapshot(request);
        AuditTrail.Record(db, now, actor, action, "RightsRequest", request.Reference, before, extra is null ? after : new { request = after, step = extra });
    }

    private static object Snapshot(RightsRequest r) => new
    {
        reference = r.Reference,
        type = RequestVocabulary.Name(r.Type),
        status = RequestVocabulary.Name(r.Status),
        dueOn = r.DueOn,
        extensionMonths = r.ExtensionMonths,
        assignedTo = r.AssignedTo,
    };

    private static async Task SaveAsync(ConsentDbContext db, RightsRequest request, CancellationToken ct)
    {
        request.Stamp = Guid.NewGuid().ToString("N");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new RequestRuleException($"Request {request.Reference} was changed by someone else meanwhile: reload it and try again.");
        }
    }

    private static string TokenHash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
