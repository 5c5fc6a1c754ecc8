using System.Security.Cryptography;
using System.Text;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Languages;
using Consent.Core.Mail;
using Consent.Core.Members;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consent.Core.Requests;

/// <summary>
/// The public side of rights requests: filing one, and the proportionate identity check before it enters the register. A signed-in
/// member's request is verified at once for their account; anyone else's waits for the code mailed to the address they gave (only its
/// SHA-256 is stored, it expires, wrong tries are counted, and a request gets a few codes at most). A quoted consent id is proven only
/// by the requester's own consent cookie. Nothing here tells the requester whether an address, an account or a consent id exists.
/// </summary>
public sealed class RequestService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    RequestMails mails,
    RequestDeadlines deadlines,
    IOptions<RequestOptions> options,
    ConsentService consents,
    ILookupNormalizer normalizer,
    IValidator<RequestInput> validator,
    IValidator<VerificationInput> codeValidator,
    TimeProvider time)
{
    /// <summary>Who the history and the audit trail name for the requester's own steps.</summary>
    public const string RequesterActor = "requester";

    /// <summary>The page the code's link opens; a GET only shows the confirm form, the POST verifies.</summary>
    public const string VerifyPath = "/privacy/request/verify";

    /// <summary>Letters and digits without look-alikes (no 0/O, 1/I/L): a reference read over the phone is not misheard.</summary>
    public const string ReferenceAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public const string ReferencePrefix = "R-";
    public const int ReferenceLength = 8;

    private RequestOptions Options => options.Value;

    /// <summary>
    /// Files a request in <paramref name="language"/>. With a signed-in <paramref name="member"/> whose address is confirmed, it is theirs,
    /// with that address, verified at once and acknowledged; otherwise a code goes to the address given. Bad input throws
    /// <see cref="ValidationException"/> and stores nothing.
    /// </summary>
    public async Task<RequestFiled> FileAsync(RequestInput input, string language, Member? member, string? consentCookie, Uri center, CancellationToken ct = default)
    {
        var account = member is { EmailConfirmed: true } ? member : null;
        if (account is not null) input.Email = account.Email;
        await validator.ValidateAndThrowAsync(input, ct);
        var type = RequestVocabulary.ParseType(input.Type)!.Value;
        var consentId = string.IsNullOrWhiteSpace(input.ConsentId) ? (Guid?)null : Guid.Parse(input.ConsentId.Trim());
        var now = Now();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The request first, for its id; its history and audit entry in the same transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var request = new RightsRequest
        {
            Reference = await NewReferenceAsync(db, ct),
            Type = type,
            Status = RequestStatus.AwaitingVerification,
            Email = input.Email!.Trim(),
            Name = Optional(input.Name) ?? account?.UserName,
            Language = VisitorLanguages.Find(language) ?? VisitorLanguages.Default,
            Details = input.Details?.Trim() ?? "",
            ConsentId = consentId,
            VisitorId = consentId is { } quoted ? await ProvenVisitorAsync(db, quoted, consentCookie, ct) : null,
            FiledAt = now,
        };
        db.RightsRequests.Add(request);
        string? code = null;
        if (account is not null)
        {
            request.MemberId = account.Id;
            Open(request, now);
        }
        else
        {
            code = NewCode(request, now);
        }
        await db.SaveChangesAsync(ct);

        db.RequestEvents.Add(Event(request, now, RequestEventKinds.Filed));
        Audit(db, now, "request.file", request, new
        {
            type = RequestVocabulary.Name(type),
            status = RequestVocabulary.Name(request.Status),
            consentIdQuoted = consentId is not null,
            consentIdProven = request.VisitorId is not null,
            detailsLength = request.Details.Length,
        });
        if (account is not null)
        {
            db.RequestEvents.Add(Event(request, now, RequestEventKinds.Verified, "signed-in member"));
            Audit(db, now, "request.verify", request, VerifiedDetails(request, "signed-in-member"));
        }
        else
        {
            db.RequestEvents.Add(Event(request, now, RequestEventKinds.CodeSent));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        var sent = code is null
            ? await TryMailAsync(() => mails.SendAcknowledgementAsync(request, ct))
            : await TryMailAsync(() => mails.SendCodeAsync(request, code, Options.CodeMinutes, CodeLink(center, request.Reference, code), ct));
        return new RequestFiled(request.Reference, request.Status, request.DueOn, sent);
    }

    /// <summary>
    /// Checks the code of a request awaiting verification. The right one puts it in the register (received now, due a month on), for the
    /// member whose confirmed address it is if any, and sends the acknowledgement; a wrong one is counted. Malformed input throws
    /// <see cref="ValidationException"/> and counts nothing.
    /// </summary>
    public async Task<RequestVerification> VerifyAsync(VerificationInput input, CancellationToken ct = default)
    {
        await codeValidator.ValidateAndThrowAsync(input, ct);
        var reference = NormalizeReference(input.Reference);
        var code = input.Code!.Trim();
        // Two tries at once on the same request: the concurrency stamp lets one win, and the other reads again.
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var request = await db.RightsRequests.FirstOrDefaultAsync(r => r.Reference == reference, ct);
            if (request is null || request.Status != RequestStatus.AwaitingVerification || request.CodeHash is null)
            {
                return new RequestVerification(VerificationOutcome.NotAwaiting, reference, null, 0, 0);
            }
            var now = Now();
            var codesLeft = Math.Max(0, Options.CodesPerRequest - request.CodesSent);
            if (request.CodeAttempts >= Options.CodeAttempts) return new RequestVerification(VerificationOutcome.TooManyAttempts, reference, null, 0, codesLeft);
            if (request.CodeExpiresAt is not { } expires || now >= expires) return new RequestVerification(VerificationOutcome.Expired, reference, null, 0, codesLeft);
            var right = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashCode(reference, code)), Encoding.ASCII.GetBytes(request.CodeHash));
            if (right)
            {
                request.MemberId = await MemberOfAsync(db, request.Email, ct);
                Open(request, now);
                request.CodeHash = null;
                request.CodeExpiresAt = null;
                db.RequestEvents.Add(Event(request, now, RequestEventKinds.Verified, "e-mail code"));
                Audit(db, now, "request.verify", request, VerifiedDetails(request, "email-code"));
            }
            else
            {
                request.CodeAttempts++;
                request.Stamp = NewStamp();
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                continue;
            }
            if (!right)
            {
                var left = Options.CodeAttempts - request.CodeAttempts;
                return new RequestVerification(left > 0 ? VerificationOutcome.WrongCode : VerificationOutcome.TooManyAttempts, reference, null, left, codesLeft);
            }
            var acknowledged = await TryMailAsync(() => mails.SendAcknowledgementAsync(request, ct));
            return new RequestVerification(VerificationOutcome.Verified, reference, request.DueOn, 0, 0, acknowledged);
        }
    }

    /// <summary>A new code for a request still awaiting verification, replacing the last (its wrong tries forgotten), while codes remain.</summary>
    public async Task<CodeResend> ResendAsync(string? reference, Uri center, CancellationToken ct = default)
    {
        var normalized = NormalizeReference(reference);
        if (normalized.Length is 0 or > RequestLimits.Reference) return new CodeResend(ResendOutcome.NotAwaiting, 0, false);
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var request = await db.RightsRequests.FirstOrDefaultAsync(r => r.Reference == normalized, ct);
            if (request is null || request.Status != RequestStatus.AwaitingVerification) return new CodeResend(ResendOutcome.NotAwaiting, 0, false);
            if (request.CodesSent >= Options.CodesPerRequest) return new CodeResend(ResendOutcome.NoCodesLeft, 0, false);
            var now = Now();
            var code = NewCode(request, now);
            db.RequestEvents.Add(Event(request, now, RequestEventKinds.CodeSent));
            Audit(db, now, "request.resend", request, new { codesSent = request.CodesSent });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                continue;
            }
            var sent = await TryMailAsync(() => mails.SendCodeAsync(request, code, Options.CodeMinutes, CodeLink(center, request.Reference, code), ct));
            return new CodeResend(ResendOutcome.Sent, Options.CodesPerRequest - request.CodesSent, sent);
        }
    }

    /// <summary>The link of the code mail: it opens the confirm form with both fields filled in.</summary>
    public static Uri CodeLink(Uri center, string reference, string code) =>
        new(center, $"{VerifyPath.TrimStart('/')}?reference={Uri.EscapeDataString(reference)}&code={Uri.EscapeDataString(code)}");

    /// <summary>A reference as typed: trimmed, upper case, the prefix added when left out.</summary>
    public static string NormalizeReference(string? reference)
    {
        var value = (reference ?? "").Trim().ToUpperInvariant();
        return value.Length is > 0 and <= ReferenceLength && !value.StartsWith(ReferencePrefix, StringComparison.Ordinal) ? ReferencePrefix + value : value;
    }

    private void Open(RightsRequest request, DateTime now)
    {
        request.Status = RequestStatus.Open;
        request.ReceivedAt = now;
        request.FirstDueOn = deadlines.DueOn(now, 1);
        request.DueOn = request.FirstDueOn;
        request.Stamp = NewStamp();
    }

    /// <summary>A fresh code: the previous one and its wrong tries are void. Returns the code, which is never stored.</summary>
    private string NewCode(RightsRequest request, DateTime now)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        request.CodeHash = HashCode(request.Reference, code);
        request.CodeExpiresAt = now.AddMinutes(Options.CodeMinutes);
        request.CodeAttempts = 0;
        request.CodesSent++;
        request.Stamp = NewStamp();
        return code;
    }

    /// <summary>The code hashed with its reference, so the same code of two requests hashes apart.</summary>
    private static string HashCode(string reference, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{reference}:{code}")));

    private static async Task<string> NewReferenceAsync(ConsentDbContext db, CancellationToken ct)
    {
        while (true)
        {
            var reference = ReferencePrefix + RandomNumberGenerator.GetString(ReferenceAlphabet, ReferenceLength);
            if (!await db.RightsRequests.AnyAsync(r => r.Reference == reference, ct)) return reference;
        }
    }

    /// <summary>The visitor id of the quoted record when the requester's own consent cookie carries it; null otherwise (kept as quoted).</summary>
    private async Task<string?> ProvenVisitorAsync(ConsentDbContext db, Guid consentId, string? consentCookie, CancellationToken ct)
    {
        if (consents.VisitorIdOf(consentCookie) is not { } visitor) return null;
        var recorded = await db.ConsentRecords.AsNoTracking().Where(r => r.Id == consentId).Select(r => r.VisitorId).FirstOrDefaultAsync(ct);
        return recorded == visitor ? visitor : null;
    }

    /// <summary>The member whose confirmed address this is, if any.</summary>
    private async Task<string?> MemberOfAsync(ConsentDbContext db, string email, CancellationToken ct)
    {
        var normalized = normalizer.NormalizeEmail(email);
        return await db.Members.AsNoTracking().Where(m => m.NormalizedEmail == normalized && m.EmailConfirmed).Select(m => m.Id).FirstOrDefaultAsync(ct);
    }

    private static async Task<bool> TryMailAsync(Func<Task> send)
    {
        try
        {
            await send();
            return true;
        }
        catch (MailNotSentException)
        {
            // Logged by the mail service without the address; the request stands and a new code can be asked for.
            return false;
        }
    }

    private static object VerifiedDetails(RightsRequest request, string how) => new
    {
        type = RequestVocabulary.Name(request.Type),
        status = RequestVocabulary.Name(request.Status),
        how,
        member = request.MemberId is not null,
        receivedAt = request.ReceivedAt,
        dueOn = request.DueOn,
    };

    private static RequestEvent Event(RightsRequest request, DateTime at, string kind, string? text = null) =>
        new() { RequestId = request.Id, At = at, Actor = RequesterActor, Kind = kind, Text = text };

    // The reference, type, status, dates and counts only: never the address, the details or a code.
    private static void Audit(ConsentDbContext db, DateTime at, string action, RightsRequest request, object after) =>
        AuditTrail.Record(db, at, RequesterActor, action, "RightsRequest", request.Reference, null, after);

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
