using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Requests;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Members;

/// <summary>
/// A member's self-service rights (rectify, erase, restrict, object, a directive for after death, access and portability) and the
/// link between their account and the browsers they choose cookies in. Every change is written to the audit trail under the member's
/// account id, never their e-mail address: the trail is kept after the account is erased.
/// </summary>
public sealed class MemberService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    CommunicationPreferences communications,
    ConsentHistoryService history,
    IValidator<ProfileInput> profileValidator,
    IValidator<DirectiveInput> directiveValidator,
    ILookupNormalizer normalizer,
    TimeProvider time)
{
    /// <summary>Who the audit trail names for a change the member made themselves.</summary>
    public const string MemberActor = "member";

    public async Task<Member?> FindAsync(string memberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, ct);
    }

    public async Task<Member?> FindBySubjectAsync(string subjectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.SubjectId == subjectId, ct);
    }

    /// <summary>Rectification: the member's username and professional fields. Refused while processing is restricted.</summary>
    public async Task UpdateProfileAsync(string memberId, ProfileInput input, CancellationToken ct = default)
    {
        await profileValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var member = await db.Members.FirstAsync(m => m.Id == memberId, ct);
        if (member.RestrictedAt is not null) throw new MemberRestrictedException();
        var userName = input.UserName!.Trim();
        var normalized = normalizer.NormalizeName(userName);
        if (normalized != member.NormalizedUserName && await db.Members.AnyAsync(m => m.NormalizedUserName == normalized, ct))
        {
            throw new ValidationException([new ValidationFailure(nameof(ProfileInput.UserName), MemberTexts.Get("Field.UserName.Taken"))]);
        }
        var before = ProfileFields(member);
        member.UserName = userName;
        member.NormalizedUserName = normalized;
        member.Company = Optional(input.Company);
        member.JobTitle = Optional(input.JobTitle);
        member.Country = Optional(input.Country);
        member.City = Optional(input.City);
        member.LinkedInUrl = Optional(input.LinkedInUrl);
        member.ConcurrencyStamp = Guid.NewGuid().ToString();
        var after = ProfileFields(member);
        // Which fields changed, not their values: the trail outlives the account.
        var changed = before.Where(kv => after[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();
        if (changed.Count == 0) return;
        Audit(db, MemberActor, "member.rectify", member.Id, new { fields = changed });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Restricts processing (GDPR art. 18) or lifts the restriction: while restricted the account is frozen and nothing is sent.</summary>
    public Task SetRestrictedAsync(string memberId, bool restricted, CancellationToken ct = default) =>
        ChangeAsync(memberId, restricted ? "member.restrict" : "member.restrict-lift", m => m.RestrictedAt = restricted ? m.RestrictedAt ?? Now() : null, ct);

    /// <summary>Objects to prospecting (GDPR art. 21(2)) or withdraws the objection: while it holds no commercial offer is sent.</summary>
    public Task SetObjectionAsync(string memberId, bool objects, CancellationToken ct = default) =>
        ChangeAsync(memberId, objects ? "member.object" : "member.object-withdraw", m => m.ObjectedAt = objects ? m.ObjectedAt ?? Now() : null, ct);

    /// <summary>Records the member's directive for after their death, replacing any earlier one.</summary>
    public async Task SetDirectiveAsync(string memberId, DirectiveInput input, CancellationToken ct = default)
    {
        await directiveValidator.ValidateAndThrowAsync(input, ct);
        var trusted = input.Directive == DeathDirective.PassToTrustedPerson;
        await ChangeAsync(memberId, "member.directive", m =>
        {
            m.Directive = input.Directive;
            m.TrustedPersonName = trusted ? input.TrustedPersonName!.Trim() : null;
            m.TrustedPersonContact = trusted ? input.TrustedPersonContact!.Trim() : null;
            m.DirectiveRecordedAt = Now();
            m.DirectiveCarriedOutAt = null;
            m.DirectiveCarriedOutBy = null;
        }, ct, new { directive = Name(input.Directive!.Value) });
    }

    public Task ClearDirectiveAsync(string memberId, CancellationToken ct = default) =>
        ChangeAsync(memberId, "member.directive-clear", m =>
        {
            m.Directive = null;
            m.TrustedPersonName = null;
            m.TrustedPersonContact = null;
            m.DirectiveRecordedAt = null;
            m.DirectiveCarriedOutAt = null;
            m.DirectiveCarriedOutBy = null;
        }, ct);

    /// <summary>The privacy team marks a member's directive as carried out.</summary>
    public Task MarkDirectiveCarriedOutAsync(string memberId, string actor, CancellationToken ct = default) =>
        ChangeAsync(memberId, "member.directive-carried-out", m =>
        {
            if (m.Directive is null) throw new InvalidOperationException("This member has recorded no directive.");
            m.DirectiveCarriedOutAt = Now();
            m.DirectiveCarriedOutBy = actor;
        }, ct, actor: actor);

    /// <summary>A contact of the member (sign-in, an e-mail link followed): retention counts from it, and a warning sent before is void.</summary>
    public async Task TouchAsync(string memberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = Now();
        await db.Members.Where(m => m.Id == memberId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.LastContactAt, now)
            .SetProperty(m => m.InactivityWarnedAt, (DateTime?)null), ct);
    }

    /// <summary>Links a browser's visitor id to the member (a shared browser moves to whoever chose last in it).</summary>
    public async Task LinkVisitorAsync(string memberId, string visitorId, CancellationToken ct = default)
    {
        if (!ConsentCookie.IsVisitorId(visitorId)) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var link = await db.MemberVisitors.FirstOrDefaultAsync(v => v.VisitorId == visitorId, ct);
        if (link is null)
        {
            db.MemberVisitors.Add(new MemberVisitor { VisitorId = visitorId, MemberId = memberId, LinkedAt = Now() });
        }
        else if (link.MemberId != memberId)
        {
            link.MemberId = memberId;
            link.LinkedAt = Now();
        }
        else
        {
            return;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Linked at the same moment by another request: the link exists, which is all this asks.
        }
    }

    /// <summary>The member's newest cookie choice, made in any browser linked to them; null when they made none.</summary>
    public async Task<ConsentRecord?> LatestCookieChoiceAsync(string memberId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Read first: the records store a visitor id as bytes, the links as text, so the two cannot be joined in SQL.
        var visitors = await db.MemberVisitors.Where(v => v.MemberId == memberId).Select(v => v.VisitorId).ToListAsync(ct);
        if (visitors.Count == 0) return null;
        return await db.ConsentRecords.AsNoTracking()
            .Where(r => r.VisitorId != null && visitors.Contains(r.VisitorId) && r.Method != ConsentMethod.Erasure && !Communication.Contains(r.Source))
            .OrderByDescending(r => r.LogIndex)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Access and portability: the profile, the states, the directive, every communication and cookie record, the rights requests. With an
    /// <paramref name="actor"/> the download is written to the audit trail (<c>member.export</c>).
    /// </summary>
    public async Task<MemberExport> ExportAsync(string memberId, string? actor = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var member = await db.Members.AsNoTracking().FirstAsync(m => m.Id == memberId, ct);
        if (actor is not null)
        {
            Audit(db, actor, "member.export", member.Id, null);
            await db.SaveChangesAsync(ct);
        }
        var links = await db.MemberVisitors.AsNoTracking().Where(v => v.MemberId == memberId).OrderBy(v => v.LinkedAt).ToListAsync(ct);
        var state = await communications.GetAsync(member, ct);
        var cookieConsents = new List<MemberVisitorExport>();
        foreach (var link in links) cookieConsents.Add(new MemberVisitorExport(link.VisitorId, link.LinkedAt, await history.GetHistoryAsync(link.VisitorId, ct)));
        return new MemberExport(
            Now(),
            new MemberProfileExport(member.UserName, member.Email, member.EmailConfirmed, member.Company, member.JobTitle, member.Country, member.City,
                member.LinkedInUrl, member.Language, member.CreatedAt, member.LastContactAt),
            new MemberStateExport(member.RestrictedAt, member.ObjectedAt, member.InactivityWarnedAt),
            member.Directive is { } d ? new MemberDirectiveExport(Name(d), member.TrustedPersonName, member.TrustedPersonContact, member.DirectiveRecordedAt, member.DirectiveCarriedOutAt) : null,
            CommunicationPurposes.All.Where(state.OptedIn.Contains).ToList(),
            await history.GetHistoryAsync(member.SubjectId, ct),
            cookieConsents,
            await RequestsOfAsync(db, memberId, ct));
    }

    /// <summary>The rights requests verified for the member, oldest first.</summary>
    private static async Task<List<MemberRequestExport>> RequestsOfAsync(ConsentDbContext db, string memberId, CancellationToken ct)
    {
        var requests = await db.RightsRequests.AsNoTracking().Where(r => r.MemberId == memberId).OrderBy(r => r.FiledAt).ToListAsync(ct);
        return requests.Select(r => new MemberRequestExport(r.Reference, RequestVocabulary.Name(r.Type), RequestVocabulary.Name(r.Status), r.FiledAt, r.ReceivedAt,
            r.DueOn, r.ClosedAt)).ToList();
    }

    /// <summary>
    /// Erases the account: its communication records and the cookie records of its linked browsers are unlinked the verifiable-log way
    /// (visitor ids and salts set to NULL, every leaf still verifies), an erasure record is appended for each, and the profile and links
    /// are deleted. Returns null when there is no such account (erased already).
    /// </summary>
    public async Task<MemberErasure?> EraseAsync(string memberId, ConsentSource source, string actor, string browserFamily, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == memberId, ct);
        if (member is null) return null;
        var visitors = await db.MemberVisitors.Where(v => v.MemberId == memberId).Select(v => v.VisitorId).ToListAsync(ct);

        var unlinked = await history.UnlinkAsync(r => r.VisitorId == member.SubjectId, ct);
        // Withdrawn first, then unlinked: the log shows every e-mail stopping before the account goes.
        var erasure = await communications.AppendErasureAsync(source, member.Language, browserFamily);
        var cookieRecords = 0;
        foreach (var visitor in visitors)
        {
            cookieRecords += (await history.EraseAsync(visitor, member.Language, browserFamily, ct)).Unlinked;
        }
        db.Members.Remove(member);
        Audit(db, actor, "member.erase", member.Id, new
        {
            source = ConsentVocabulary.Name(source),
            communicationRecords = unlinked,
            cookieRecords,
            browsers = visitors.Count,
            erasureRecord = erasure.Id,
        });
        await db.SaveChangesAsync(ct);
        return new MemberErasure(unlinked + cookieRecords, erasure.Id);
    }

    public static string Name(DeathDirective directive) => directive switch
    {
        DeathDirective.Delete => "delete",
        DeathDirective.Keep => "keep",
        DeathDirective.PassToTrustedPerson => "pass-to-trusted-person",
        _ => throw new ArgumentOutOfRangeException(nameof(directive)),
    };

    private static readonly ConsentSource[] Communication = Enum.GetValues<ConsentSource>().Where(ConsentVocabulary.IsCommunication).ToArray();

    private async Task ChangeAsync(string memberId, string action, Action<Member> change, CancellationToken ct, object? details = null, string actor = MemberActor)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var member = await db.Members.FirstAsync(m => m.Id == memberId, ct);
        change(member);
        member.ConcurrencyStamp = Guid.NewGuid().ToString();
        Audit(db, actor, action, member.Id, details);
        await db.SaveChangesAsync(ct);
    }

    private void Audit(ConsentDbContext db, string actor, string action, string memberId, object? after) =>
        AuditTrail.Record(db, Now(), actor, action, "Member", memberId, null, after);

    private static Dictionary<string, string?> ProfileFields(Member m) => new()
    {
        ["userName"] = m.UserName,
        ["company"] = m.Company,
        ["jobTitle"] = m.JobTitle,
        ["country"] = m.Country,
        ["city"] = m.City,
        ["linkedInUrl"] = m.LinkedInUrl,
    };

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
