using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Core.Snapshot;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Consents;

/// <summary>
/// The visitor's decision in force, as pages and the preference center need it. <see cref="Granted"/> lists every
/// granted category, the required ones included. With <see cref="HonouredSignal"/> set the visitor has made no
/// decision, but their browser's privacy signal settled the state: every optional category refused, no banner.
/// </summary>
public sealed record CurrentConsent(
    int PolicyVersion,
    bool HasDecision,
    IReadOnlyList<string> Granted,
    Guid? ConsentId = null,
    DateTime? RecordedAt = null,
    DateTime? ExpiresAt = null,
    bool AnsweredOlderPolicy = false,
    IReadOnlyList<PolicyChange>? Changes = null,
    PrivacySignal HonouredSignal = PrivacySignal.None)
{
    /// <summary>For a visitor who answered an older version: what changed since, newest first (the banner shows it).</summary>
    public IReadOnlyList<PolicyChange> ChangesSinceAnswered => Changes ?? [];

    /// <summary>The state is settled, by the visitor's decision or by an honoured privacy signal: what is granted is known.</summary>
    public bool IsSettled => HasDecision || HonouredSignal != PrivacySignal.None;

    /// <summary>Whether the page must ask: no decision in force and no privacy signal that answered for the visitor.</summary>
    public bool ShowsBanner => !IsSettled;

    public bool IsGranted(string categoryKey) => IsSettled && Granted.Contains(categoryKey);
}

/// <summary>What the visitor gets back for a recorded decision: the receipt and the new cookie.</summary>
public sealed record ConsentReceipt(ConsentRecord Record, string CookieValue);

/// <summary>
/// The one server-side operation every decision ends in (banner, preference center, API),
/// and the reading of a visitor's consent cookie.
/// </summary>
public sealed class ConsentService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    IValidator<ConsentSubmission> validator,
    ConsentWriter writer,
    ConsentCookie cookie,
    SnapshotService snapshots,
    TimeProvider time)
{
    /// <summary>How long a client's idempotency key answers its retries.</summary>
    public static readonly TimeSpan IdempotencyWindow = TimeSpan.FromHours(24);

    /// <summary>
    /// Records a decision, or says why not. With an <paramref name="idempotencyKey"/> (the API's <c>Idempotency-Key</c>), a retry
    /// of the same choice for the same visitor is answered from the first record and stores nothing: also when the first
    /// answer never reached the client, and when two attempts arrive at once on different instances.
    /// </summary>
    public async Task<ConsentOutcome> RecordAsync(ConsentSubmission submission, VisitorContext visitor, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var previous = cookie.TryDecode(visitor.ConsentCookie);
        var key = idempotencyKey is null ? null : new IdempotencyKey
        {
            KeyHash = SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)),
            RequestHash = RequestHash(submission, visitor, previous),
        };

        var validation = await validator.ValidateAsync(submission, ct);
        if (!validation.IsValid)
        {
            // A retry is answered from its first record even once that answer could no longer be given: read the key, on refusal only.
            if (key is not null && await AnsweredBeforeAsync(key, ct) is { } earlier) return earlier;
            var errors = validation.Errors.GroupBy(e => ConsentSubmissionValidator.JsonName(e.PropertyName), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
            var superseded = validation.Errors.All(e => e.ErrorCode == ConsentSubmissionValidator.SupersededPolicyVersion);
            return ConsentOutcome.Refused(errors, superseded ? ConsentOutcomeKind.Superseded : ConsentOutcomeKind.Refused,
                (await snapshots.GetAsync(ct)).PolicyVersion);
        }

        // The catalogue the validator checked against: read from memory, not from the database.
        var snapshot = await snapshots.GetAsync(ct);
        // Whole microseconds, as both engines store a time: the stored record is the record answered.
        var now = time.GetUtcNow().UtcDateTime;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        var method = submission.Method!.Value;
        if (method == ConsentMethod.Withdrawal && previous is null)
        {
            method = ConsentMethod.RejectAll; // nothing was granted before, so nothing is withdrawn
        }
        var granted = submission.Granted.ToHashSet(StringComparer.Ordinal);
        var decisions = snapshot.Categories.Select(c => new ConsentDecision
        {
            CategoryKey = c.Key,
            Granted = c.IsRequired || method == ConsentMethod.AcceptAll || (method == ConsentMethod.Custom && granted.Contains(c.Key)),
        }).ToList();
        var record = new ConsentRecord
        {
            Id = Guid.CreateVersion7(now),
            VisitorId = previous?.VisitorId ?? ConsentCookie.NewVisitorId(),
            PolicyVersion = submission.PolicyVersion!.Value,
            Method = method,
            Source = submission.Source!.Value,
            RecordedAt = now,
            ExpiresAt = snapshot.Periods.ExpiresAt(now, snapshot.RefusesEverythingOptional(decisions.Where(d => d.Granted).Select(d => d.CategoryKey))),
            Language = visitor.Language,
            BrowserFamily = visitor.BrowserFamily,
            Site = submission.Site,
            Decisions = decisions,
        };
        // The cookie is made before the write, so a stored record is always answered with its cookie.
        var receipt = new ConsentReceipt(record, CookieOf(record));
        if (key is not null)
        {
            key.ConsentId = record.Id;
            key.CreatedAt = now;
        }

        // No read before the write: the key's insert says whether an earlier attempt stored it, and only then is it read.
        for (var attempt = 1; !await writer.AppendAsync(record, key); attempt++)
        {
            // Another attempt with this key committed first (on this instance or another): its record is the answer.
            if (await AnsweredBeforeAsync(key!, ct) is { } before) return before;
            // The key had passed its window and was deleted: store this choice, unless a new attempt with the key took it again.
            if (attempt == 3) throw new InvalidOperationException("An idempotency key kept conflicting without a stored answer.");
        }
        return ConsentOutcome.Recorded(receipt, replayed: false);
    }

    /// <summary>The first answer for a key still in its window, or a refusal when the key was used for another choice.</summary>
    private async Task<ConsentOutcome?> AnsweredBeforeAsync(IdempotencyKey key, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == key.KeyHash, ct);
        if (stored is null) return null;
        if (stored.CreatedAt < time.GetUtcNow().UtcDateTime - IdempotencyWindow)
        {
            // Past its window the key answers nothing, and makes way for the choice it now names.
            await db.IdempotencyKeys.Where(k => k.KeyHash == key.KeyHash && k.CreatedAt == stored.CreatedAt).ExecuteDeleteAsync(ct);
            return null;
        }
        if (!stored.RequestHash.AsSpan().SequenceEqual(key.RequestHash))
        {
            return ConsentOutcome.Refused(new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = ["This Idempotency-Key was already used for another choice; send a new key for each choice."],
            }, ConsentOutcomeKind.KeyReused, (await snapshots.GetAsync(ct)).PolicyVersion);
        }
        var record = await db.ConsentRecords.AsNoTracking().FirstAsync(r => r.Id == stored.ConsentId, ct);
        return ConsentOutcome.Recorded(new ConsentReceipt(record, CookieOf(record)), replayed: true);
    }

    /// <summary>The cookie that proves a record: the same state whenever it is made, signed with the key in force.</summary>
    public string CookieOf(ConsentRecord record) =>
        cookie.Encode(new ConsentCookieState(record.VisitorId ?? throw new InvalidOperationException("An erased record proves no decision."), record.Id, record.PolicyVersion,
            record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).ToList(), record.RecordedAt));

    /// <summary>What a retry must repeat to be answered from the first record: the same choice, for the same visitor.</summary>
    private static byte[] RequestHash(ConsentSubmission s, VisitorContext visitor, ConsentCookieState? previous)
    {
        var text = string.Join('\n',
            s.Method?.ToString() ?? "", s.Source?.ToString() ?? "", s.PolicyVersion?.ToString(CultureInfo.InvariantCulture) ?? "",
            string.Join(' ', s.Granted.Order(StringComparer.Ordinal)), string.Join(' ', s.Denied.Order(StringComparer.Ordinal)),
            s.Site ?? "", visitor.Language ?? "", previous?.VisitorId ?? "");
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// The decision the visitor's cookie proves, if it still holds: it must be signed by this
    /// center, answer the current policy version and be younger than its period: the re-ask
    /// interval for a refusal of every optional category, the consent lifetime otherwise.
    /// A visitor who answered an older version gets what changed since, for the banner.
    /// Without such a decision, a browser privacy signal (<paramref name="signal"/>) answers for the
    /// visitor: every optional category refused and no banner, with nothing stored and no cookie set.
    /// A decision that holds wins over the signal: the visitor chose explicitly, knowing the question.
    /// </summary>
    public async Task<CurrentConsent> GetCurrentAsync(string? cookieValue, PrivacySignal signal = PrivacySignal.None, CancellationToken ct = default) =>
        GetCurrent(await snapshots.GetAsync(ct), cookieValue, signal);

    /// <summary><see cref="GetCurrentAsync"/> against a snapshot the caller holds: no database, no wait.</summary>
    public CurrentConsent GetCurrent(CenterSnapshot snapshot, string? cookieValue, PrivacySignal signal = PrivacySignal.None)
    {
        var current = snapshot.PolicyVersion;
        var state = cookie.TryDecode(cookieValue);
        if (state is null) return WithoutDecision(snapshot, signal, answeredOlderPolicy: false);

        if (state.PolicyVersion < current)
        {
            // The signal applies to an outdated answer too: the visitor is not asked again while the browser says no.
            return signal != PrivacySignal.None
                ? WithoutDecision(snapshot, signal, answeredOlderPolicy: true)
                : new CurrentConsent(current, false, [], AnsweredOlderPolicy: true, Changes: snapshot.ChangesSince(state.PolicyVersion));
        }
        var periods = snapshot.Periods;
        // Only when the two periods differ does it matter whether the decision refused everything optional.
        var refusal = periods.LifetimeMonths != periods.RefusalLifetimeMonths && snapshot.RefusesEverythingOptional(state.Granted);
        var expiresAt = periods.ExpiresAt(state.RecordedAt, refusal);
        var valid = state.PolicyVersion == current && time.GetUtcNow().UtcDateTime < expiresAt;
        return valid
            ? new CurrentConsent(current, true, state.Granted, state.ConsentId, state.RecordedAt, expiresAt)
            : WithoutDecision(snapshot, signal, answeredOlderPolicy: false);
    }

    /// <summary>No decision holds: the banner asks, unless a privacy signal refused every optional category for the visitor.</summary>
    private static CurrentConsent WithoutDecision(CenterSnapshot snapshot, PrivacySignal signal, bool answeredOlderPolicy) =>
        signal == PrivacySignal.None
            ? new CurrentConsent(snapshot.PolicyVersion, false, [], AnsweredOlderPolicy: answeredOlderPolicy)
            : new CurrentConsent(snapshot.PolicyVersion, false, snapshot.RequiredKeys, AnsweredOlderPolicy: answeredOlderPolicy, HonouredSignal: signal);

    /// <summary>The visitor id a consent cookie signed by this center proves, whatever the decision's age or version; else null.</summary>
    public string? VisitorIdOf(string? cookieValue) => cookie.TryDecode(cookieValue)?.VisitorId;

    /// <summary>A visitor's whole history, newest first.</summary>
    public async Task<IReadOnlyList<ConsentRecord>> GetHistoryAsync(string visitorId, CancellationToken ct = default)
    {
        if (!ConsentCookie.IsVisitorId(visitorId)) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var records = await db.ConsentRecords.AsNoTracking().Where(r => r.VisitorId == visitorId).ToListAsync(ct);
        return records.OrderByDescending(r => r.RecordedAt).ThenByDescending(r => r.Id).ToList();
    }
}
