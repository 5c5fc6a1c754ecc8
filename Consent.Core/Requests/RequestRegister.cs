using System.Globalization;
using System.Text;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.PrivacyTeam;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consent.Core.Requests;

/// <summary>
/// The read side of the register for the privacy team: the list with its filters, one request with its history, the dashboard's
/// counts, the CSV for an authority (audited) and who a request can be assigned to. The changes are <see cref="RequestInbox"/>'s.
/// </summary>
public sealed class RequestRegister(
    IDbContextFactory<ConsentDbContext> dbFactory,
    TeamAccounts team,
    RequestDeadlines deadlines,
    IOptions<RequestOptions> options,
    TimeProvider time)
{
    public const int MaxSearchLength = 100;
    public const int MaxPageSize = 100;
    public const string ExportAction = "request.export";

    /// <summary>How an identity was checked, as the page and the CSV name it.</summary>
    public static class VerifiedBy
    {
        public const string Email = "e-mail";
        public const string Member = "member";
        public const string ConsentCookie = "consent-cookie";
    }

    /// <summary>The CSV's columns, in order. The requester's address and name are left out: see docs/decisions.md.</summary>
    public static readonly string[] CsvColumns =
    [
        "reference", "type", "status", "received_at", "first_due_on", "due_on", "extension_months", "extension_reason",
        "closed_at", "closing_reason", "assigned_to", "verified_by",
    ];

    /// <summary>
    /// The requests matching <paramref name="query"/>, most urgent first: pending ones by due date (so overdue ones lead), then closed ones,
    /// then those awaiting verification by filing time. Throws <see cref="ValidationException"/> on field <c>Search</c> when too long.
    /// </summary>
    public async Task<RequestRegisterPage> ListAsync(RequestQuery query, CancellationToken ct = default)
    {
        var text = (query.Search ?? "").Trim();
        if (text.Length > MaxSearchLength)
        {
            throw new ValidationException([new ValidationFailure("Search", $"Search with at most {MaxSearchLength} characters (this has {text.Length}).")]);
        }
        var statuses = query.Statuses is { Count: > 0 } asked ? asked.Distinct().ToList() : [.. RequestVocabulary.Pending];
        var pending = RequestVocabulary.Pending.ToList();
        var today = deadlines.Today;
        var soon = today.AddDays(options.Value.DueSoonDays);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = db.RightsRequests.AsNoTracking().Where(r => statuses.Contains(r.Status));
        if (query.Type is { } type) found = found.Where(r => r.Type == type);
        found = query.Due switch
        {
            RequestDue.DueSoon => found.Where(r => pending.Contains(r.Status) && r.DueOn >= today && r.DueOn <= soon),
            RequestDue.Overdue => found.Where(r => pending.Contains(r.Status) && r.DueOn < today),
            _ => found,
        };
        if (text.Length > 0)
        {
            var upper = text.ToUpperInvariant();
            found = found.Where(r => r.Reference.ToUpper().Contains(upper) || r.Email.ToUpper().Contains(upper)
                || (r.Name != null && r.Name.ToUpper().Contains(upper)));
        }
        var total = await found.CountAsync(ct);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var rows = await found
            .OrderBy(r => pending.Contains(r.Status) ? 0 : r.Status == RequestStatus.AwaitingVerification ? 2 : 1)
            .ThenBy(r => r.DueOn)
            .ThenBy(r => r.FiledAt)
            .ThenBy(r => r.Id)
            .Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .Select(r => new { r.Reference, r.Type, r.Status, r.Name, r.Email, r.ReceivedAt, r.DueOn, r.AssignedTo })
            .ToListAsync(ct);
        return new RequestRegisterPage(rows.Select(r =>
        {
            var (daysLeft, dueSoon, overdue) = Urgency(r.Status, r.DueOn);
            return new RequestRow(r.Reference, r.Type, r.Status, r.Name ?? r.Email, r.ReceivedAt, r.DueOn, daysLeft, dueSoon, overdue, r.AssignedTo);
        }).ToList(), total);
    }

    /// <summary>The request with this reference (any case), or null when there is none.</summary>
    public async Task<RequestDetail?> GetAsync(string reference, CancellationToken ct = default)
    {
        var key = (reference ?? "").Trim().ToUpperInvariant();
        if (key.Length is 0 or > RequestLimits.Reference) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.RightsRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Reference == key, ct);
        if (request is null) return null;
        var memberName = request.MemberId is null ? null
            : await db.Members.AsNoTracking().Where(m => m.Id == request.MemberId).Select(m => m.UserName).FirstOrDefaultAsync(ct);
        var history = await db.RequestEvents.AsNoTracking().Where(e => e.RequestId == request.Id).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new RequestHistoryEntry(e.At, e.Actor, e.Kind, e.Text)).ToListAsync(ct);
        var files = await db.RequestFiles.AsNoTracking().Where(f => f.RequestId == request.Id).OrderBy(f => f.CreatedAt)
            .Select(f => new RequestFileSummary(f.Id, f.FileName, f.ContentType, f.Content == null ? 0 : f.Content.Length, f.CreatedAt, f.SentAt, f.ExpiresAt, f.Downloads))
            .ToListAsync(ct);
        var (daysLeft, dueSoon, overdue) = Urgency(request.Status, request.DueOn);
        var isPending = RequestVocabulary.IsPending(request.Status);
        var member = memberName is not null;
        return new RequestDetail
        {
            Reference = request.Reference,
            Type = request.Type,
            Status = request.Status,
            Email = request.Email,
            Name = request.Name,
            Language = request.Language,
            Details = request.Details,
            ConsentId = request.ConsentId,
            FiledAt = request.FiledAt,
            ReceivedAt = request.ReceivedAt,
            FirstDueOn = request.FirstDueOn,
            DueOn = request.DueOn,
            ExtensionMonths = request.ExtensionMonths,
            ExtensionReason = request.ExtensionReason,
            ExtendedAt = request.ExtendedAt,
            AssignedTo = request.AssignedTo,
            ClosedAt = request.ClosedAt,
            ClosingReason = request.ClosingReason,
            DaysLeft = daysLeft,
            DueSoon = dueSoon,
            Overdue = overdue,
            CanExtend = isPending && request.FirstDueOn is { } first && deadlines.CanExtend(first)
                && request.ExtensionMonths < RequestDeadlines.MaxExtensionMonths,
            MemberId = member ? request.MemberId : null,
            MemberUserName = memberName,
            ConsentProven = request.VisitorId is not null,
            VerifiedBy = VerifiedByOf(request),
            Fulfilments = new RequestFulfilments(
                MemberExport: isPending && member && request.Type is RequestType.Access or RequestType.Portability,
                ConsentHistory: isPending && request.VisitorId is not null,
                MemberErasure: isPending && member && request.Type == RequestType.Erasure),
            History = history,
            Files = files,
        };
    }

    public async Task<RequestCounts> CountsAsync(CancellationToken ct = default)
    {
        var pending = RequestVocabulary.Pending.ToList();
        var today = deadlines.Today;
        var soon = today.AddDays(options.Value.DueSoonDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = db.RightsRequests.AsNoTracking().Where(r => pending.Contains(r.Status));
        return new RequestCounts(
            await open.CountAsync(ct),
            await open.CountAsync(r => r.DueOn >= today && r.DueOn <= soon, ct),
            await open.CountAsync(r => r.DueOn < today, ct));
    }

    /// <summary>
    /// Writes every verified request (the register; not those awaiting verification) as CSV, in the order received, audited as
    /// <see cref="ExportAction"/> with the count. Free texts are defused so that a spreadsheet never runs them. Returns the rows written.
    /// </summary>
    public async Task<int> ExportCsvAsync(TextWriter output, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var register = db.RightsRequests.AsNoTracking().Where(r => r.Status != RequestStatus.AwaitingVerification);
        var count = await register.CountAsync(ct);
        AuditTrail.Record(db, Now(), actor, ExportAction, "RightsRequest", "register", null, new { requests = count });
        await db.SaveChangesAsync(ct);

        await output.WriteLineAsync(string.Join(',', CsvColumns));
        var line = new StringBuilder();
        var written = 0;
        await foreach (var r in register.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            line.Clear()
                .Append(ConsentLog.Csv(r.Reference)).Append(',')
                .Append(RequestVocabulary.Name(r.Type)).Append(',')
                .Append(RequestVocabulary.Name(r.Status)).Append(',')
                .Append(Instant(r.ReceivedAt)).Append(',')
                .Append(Day(r.FirstDueOn)).Append(',')
                .Append(Day(r.DueOn)).Append(',')
                .Append(r.ExtensionMonths.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(ConsentLog.Csv(r.ExtensionReason ?? "")).Append(',')
                .Append(Instant(r.ClosedAt)).Append(',')
                .Append(ConsentLog.Csv(r.ClosingReason ?? "")).Append(',')
                .Append(ConsentLog.Csv(r.AssignedTo ?? "")).Append(',')
                .Append(string.Join(' ', VerifiedByOf(r)));
            await output.WriteLineAsync(line, ct);
            if (++written % 500 == 0) await output.FlushAsync(ct);
        }
        await output.FlushAsync(ct);
        return written;
    }

    /// <summary>The team accounts a request can be assigned to: the DPOs and the Admins, by e-mail.</summary>
    public Task<IReadOnlyList<string>> AssigneesAsync(CancellationToken ct = default) => team.EmailsInRolesAsync(TeamRoles.AnswerRequests, ct);

    private (int? DaysLeft, bool DueSoon, bool Overdue) Urgency(RequestStatus status, DateOnly? dueOn) =>
        RequestVocabulary.IsPending(status) && dueOn is { } due
            ? (deadlines.DaysLeft(due), deadlines.IsDueSoon(due), deadlines.IsOverdue(due))
            : (null, false, false);

    /// <summary>A signed-in member needs no code; a code sent and the request verified means the address was confirmed.</summary>
    private static List<string> VerifiedByOf(RightsRequest r)
    {
        var by = new List<string>();
        if (r.ReceivedAt is null) return by;
        if (r.CodesSent > 0 || (r.MemberId is null && r.VisitorId is null)) by.Add(VerifiedBy.Email);
        if (r.MemberId is not null) by.Add(VerifiedBy.Member);
        if (r.VisitorId is not null) by.Add(VerifiedBy.ConsentCookie);
        return by;
    }

    private static string Instant(DateTime? at) => at?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    private static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
