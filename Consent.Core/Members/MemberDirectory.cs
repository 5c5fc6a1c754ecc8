using System.Globalization;
using System.Text;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Members;

/// <summary>
/// The privacy team's side of the members: search them, open one (each view audited), the opted-in audience of a purpose for the
/// mailing tool (audited), the directives for after death, and the opt-in figures. The changes themselves are
/// <see cref="MemberService"/>'s.
/// </summary>
public sealed class MemberDirectory(
    IDbContextFactory<ConsentDbContext> dbFactory,
    MemberService members,
    CommunicationPreferences communications,
    UnsubscribeLinks unsubscribeLinks,
    ILookupNormalizer normalizer,
    TimeProvider time)
{
    public const int MaxQueryLength = 100;
    public const int MaxPageSize = 100;

    public const string ViewAction = "member.view";
    public const string AudienceExportAction = "member.audience-export";

    /// <summary>The audience CSV's columns, in order.</summary>
    public static readonly string[] AudienceColumns = ["email", "username", "language", "opted_in_at", "consent_id", "unsubscribe_url"];

    /// <summary>
    /// Members whose username, e-mail address or company contains <paramref name="query"/> (any case), by username; every member for
    /// an empty query. Throws <see cref="ValidationException"/> on field <c>Query</c> for a query longer than <see cref="MaxQueryLength"/>.
    /// </summary>
    public async Task<MemberSearchResult> SearchAsync(string? query, int page, int pageSize, CancellationToken ct = default)
    {
        var text = (query ?? "").Trim();
        if (text.Length > MaxQueryLength)
        {
            throw new ValidationException([new ValidationFailure("Query", $"Search with at most {MaxQueryLength} characters (this has {text.Length}).")]);
        }
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(0, page);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = db.Members.AsNoTracking();
        if (text.Length > 0)
        {
            // The normalized columns are what Identity compares with, so any case matches; the company has none, so it is upper-cased.
            var name = normalizer.NormalizeName(text);
            var email = normalizer.NormalizeEmail(text);
            var upper = text.ToUpperInvariant();
            found = found.Where(m => m.NormalizedUserName!.Contains(name) || m.NormalizedEmail!.Contains(email)
                || (m.Company != null && m.Company.ToUpper().Contains(upper)));
        }
        var total = await found.CountAsync(ct);
        var rows = await found.OrderBy(m => m.NormalizedUserName).ThenBy(m => m.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(m => new MemberSummary(m.Id, m.UserName, m.Email, m.EmailConfirmed, m.Company, m.CreatedAt, m.LastContactAt))
            .ToListAsync(ct);
        return new MemberSearchResult(rows, total);
    }

    /// <summary>
    /// Opens a member for a team member: the view is written to the audit trail first (entity <c>Member</c>, the account id, the
    /// viewer's name), then the profile, states, directive and every record are read. Null, and nothing audited, when there is no such member.
    /// </summary>
    public async Task<MemberFile?> ViewAsync(string memberId, string actor, CancellationToken ct = default)
    {
        var member = await members.FindAsync(memberId, ct);
        if (member is null) return null;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            AuditTrail.Record(db, Now(), actor, ViewAction, "Member", member.Id, null, null);
            await db.SaveChangesAsync(ct);
        }
        var state = await communications.GetAsync(member, ct);
        var export = await members.ExportAsync(member.Id, ct: ct);
        return new MemberFile(member.Id, export, state);
    }

    /// <summary>Members who recorded a directive for after their death: those not carried out first, oldest first.</summary>
    public async Task<IReadOnlyList<MemberDirectiveSummary>> ListDirectivesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Members.AsNoTracking()
            .Where(m => m.Directive != null)
            .OrderBy(m => m.DirectiveCarriedOutAt != null).ThenBy(m => m.DirectiveRecordedAt).ThenBy(m => m.Id)
            .Select(m => new MemberDirectiveSummary(m.Id, m.UserName, m.Email, m.Directive!.Value, m.TrustedPersonName, m.TrustedPersonContact,
                m.DirectiveRecordedAt, m.DirectiveCarriedOutAt, m.DirectiveCarriedOutBy))
            .ToListAsync(ct);
    }

    /// <summary>Per purpose, among members who confirmed their e-mail: how many opted in and how many are actually sent it.</summary>
    public async Task<CommunicationFigures> GetCommunicationFiguresAsync(CancellationToken ct = default)
    {
        var states = await communications.GetAllAsync(ct);
        var confirmed = await ConfirmedIdsAsync(ct);
        var figures = CommunicationPurposes.All.Select(p => new PurposeFigures(p,
            confirmed.Count(id => states.TryGetValue(id, out var s) && s.IsOptedIn(p)),
            confirmed.Count(id => states.TryGetValue(id, out var s) && s.Sends(p)),
            confirmed.Count)).ToList();
        return new CommunicationFigures(states.Count, confirmed.Count, figures);
    }

    /// <summary>
    /// Writes, as CSV by e-mail address, the members to whom e-mails of <paramref name="purpose"/> may be sent now: e-mail confirmed,
    /// opted in, neither objecting (to offers) nor restricted. Each row carries the record in force and the member's one-click
    /// unsubscribe link under <paramref name="baseUri"/>. The export is audited, with its purpose and count, before the first row.
    /// Returns the number of rows.
    /// </summary>
    public async Task<int> ExportAudienceCsvAsync(string purpose, Uri baseUri, string actor, TextWriter output, CancellationToken ct = default)
    {
        if (!CommunicationPurposes.IsKnown(purpose)) throw new ArgumentException($"\"{purpose}\" is not a communication purpose.", nameof(purpose));
        var states = await communications.GetAllAsync(ct);
        var confirmed = await ConfirmedIdsAsync(ct);
        var audience = states.Where(s => confirmed.Contains(s.Key) && s.Value.Sends(purpose)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AuditTrail.Record(db, Now(), actor, AudienceExportAction, "MemberAudience", purpose, null, new { purpose, members = audience.Count });
        await db.SaveChangesAsync(ct);

        await output.WriteLineAsync(string.Join(',', AudienceColumns));
        var line = new StringBuilder();
        var written = 0;
        await foreach (var member in db.Members.AsNoTracking().Where(m => m.EmailConfirmed).OrderBy(m => m.NormalizedEmail).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!audience.TryGetValue(member.Id, out var state)) continue;
            line.Clear()
                .Append(ConsentLog.Csv(member.Email)).Append(',')
                .Append(ConsentLog.Csv(member.UserName)).Append(',')
                .Append(ConsentLog.Csv(member.Language)).Append(',')
                .Append(state.RecordedAt!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(state.ConsentId!.Value.ToString("D")).Append(',')
                .Append(ConsentLog.Csv(unsubscribeLinks.LinkFor(baseUri, member, purpose).AbsoluteUri));
            await output.WriteLineAsync(line, ct);
            if (++written % 500 == 0) await output.FlushAsync(ct);
        }
        await output.FlushAsync(ct);
        return written;
    }

    private async Task<HashSet<string>> ConfirmedIdsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Members.AsNoTracking().Where(m => m.EmailConfirmed).Select(m => m.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
