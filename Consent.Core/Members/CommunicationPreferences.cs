using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Snapshot;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Members;

/// <summary>
/// A member's e-mail choices, each a consent record appended to the same log as cookie choices (the purposes as its decisions,
/// the member's <see cref="Member.SubjectId"/> as its visitor id), so they carry the same proof and receipts. The newest
/// communication record of a member (the last appended: the highest log index) is their state; nothing else stores it.
/// </summary>
public sealed class CommunicationPreferences(IDbContextFactory<ConsentDbContext> dbFactory, ConsentWriter writer, SnapshotService snapshots, TimeProvider time)
{
    private static readonly ConsentSource[] Sources = Enum.GetValues<ConsentSource>().Where(ConsentVocabulary.IsCommunication).ToArray();

    public async Task<CommunicationState> GetAsync(Member member, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var newest = await db.ConsentRecords.AsNoTracking()
            .Where(r => r.VisitorId == member.SubjectId && Sources.Contains(r.Source))
            .OrderByDescending(r => r.LogIndex)
            .FirstOrDefaultAsync(ct);
        return StateOf(newest, member);
    }

    /// <summary>The state of every member, by member id, from each one's newest communication record: one pass over those records.</summary>
    public async Task<IReadOnlyDictionary<string, CommunicationState>> GetAllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var members = await db.Members.AsNoTracking()
            .Select(m => new { m.Id, m.SubjectId, m.ObjectedAt, m.RestrictedAt })
            .ToDictionaryAsync(m => m.SubjectId, ct);
        var newest = new Dictionary<string, ConsentRecord>(StringComparer.Ordinal);
        await foreach (var record in db.ConsentRecords.AsNoTracking().Where(r => r.VisitorId != null && Sources.Contains(r.Source)).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!members.ContainsKey(record.VisitorId!)) continue;
            if (!newest.TryGetValue(record.VisitorId!, out var known) || record.LogIndex > known.LogIndex)
            {
                newest[record.VisitorId!] = record;
            }
        }
        return members.Values.ToDictionary(m => m.Id, m =>
        {
            var state = StateOf(newest.GetValueOrDefault(m.SubjectId), null);
            return state with { Objected = m.ObjectedAt is not null, Restricted = m.RestrictedAt is not null };
        }, StringComparer.Ordinal);
    }

    /// <summary>
    /// Records the member's choice of every purpose (those in <paramref name="optedIn"/> granted, the others refused) and returns the
    /// record, or null when it would change nothing. While processing is restricted, only a withdrawal is accepted: a member can always
    /// say no, but a frozen account takes no new opt-in.
    /// </summary>
    public async Task<ConsentRecord?> SetAsync(Member member, IEnumerable<string> optedIn, ConsentSource source, string language, string browserFamily, CancellationToken ct = default)
    {
        var wanted = optedIn.ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.FirstOrDefault(p => !CommunicationPurposes.IsKnown(p));
        if (unknown is not null) throw new ArgumentException($"\"{unknown}\" is not a communication purpose.", nameof(optedIn));
        var current = await GetAsync(member, ct);
        if (member.RestrictedAt is not null && !wanted.IsSubsetOf(current.OptedIn))
        {
            throw new MemberRestrictedException();
        }
        if (current.ConsentId is not null && wanted.SetEquals(current.OptedIn)) return null;
        if (current.ConsentId is null && wanted.Count == 0) return null;
        var method = wanted.Count == 0 && current.OptedIn.Count > 0 ? ConsentMethod.Withdrawal : ConsentMethod.Custom;
        return await AppendAsync(member.SubjectId, wanted, method, source, language, browserFamily);
    }

    /// <summary>Withdraws one purpose, as the unsubscribe link does; null when the member was not opted in to it.</summary>
    public async Task<ConsentRecord?> WithdrawAsync(Member member, string purpose, ConsentSource source, string language, string browserFamily, CancellationToken ct = default)
    {
        var current = await GetAsync(member, ct);
        if (!current.IsOptedIn(purpose)) return null;
        var left = current.OptedIn.Where(p => p != purpose).ToHashSet(StringComparer.Ordinal);
        return await AppendAsync(member.SubjectId, left, ConsentMethod.Withdrawal, source, language, browserFamily);
    }

    /// <summary>Records that the member's opt-in to <paramref name="purpose"/> lapsed (the retention job), keeping the others.</summary>
    public async Task<ConsentRecord?> ExpireAsync(Member member, string purpose, CancellationToken ct = default)
    {
        var current = await GetAsync(member, ct);
        if (!current.IsOptedIn(purpose)) return null;
        var left = current.OptedIn.Where(p => p != purpose).ToHashSet(StringComparer.Ordinal);
        return await AppendAsync(member.SubjectId, left, ConsentMethod.Expiry, ConsentSource.MemberRetention, member.Language, "none");
    }

    /// <summary>Appends the erasure record of a member's communications: no visitor id, every purpose refused.</summary>
    internal async Task<ConsentRecord> AppendErasureAsync(ConsentSource source, string language, string browserFamily) =>
        await AppendAsync(null, new HashSet<string>(), ConsentMethod.Erasure, source, language, browserFamily);

    private async Task<ConsentRecord> AppendAsync(string? subjectId, IReadOnlySet<string> optedIn, ConsentMethod method, ConsentSource source, string language, string browserFamily)
    {
        var snapshot = await snapshots.GetAsync(CancellationToken.None);
        var now = time.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        var record = new ConsentRecord
        {
            Id = Guid.CreateVersion7(now),
            VisitorId = subjectId,
            PolicyVersion = snapshot.PolicyVersion,
            Method = method,
            Source = source,
            RecordedAt = now,
            // An e-mail opt-in holds until it is withdrawn (offers lapse by the retention job, which records it).
            ExpiresAt = UntilWithdrawn,
            Language = language,
            BrowserFamily = browserFamily,
            Decisions = CommunicationPurposes.All.Select(p => new ConsentDecision { CategoryKey = p, Granted = optedIn.Contains(p) }).ToList(),
        };
        await writer.AppendAsync(record);
        return record;
    }

    /// <summary>The expiry of a communication record: none, until the member withdraws.</summary>
    public static readonly DateTime UntilWithdrawn = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private static CommunicationState StateOf(ConsentRecord? newest, Member? member)
    {
        var objected = member?.ObjectedAt is not null;
        var restricted = member?.RestrictedAt is not null;
        if (newest is null) return CommunicationState.None(objected, restricted);
        return new CommunicationState(newest.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).ToHashSet(StringComparer.Ordinal),
            newest.Id, newest.RecordedAt, objected, restricted);
    }
}
