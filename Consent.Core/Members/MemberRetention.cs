using System.Globalization;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Mail;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Consent.Core.Members;

/// <summary>
/// The seed's retention for members (<see cref="MemberRetentionOptions"/>): an inactive account is warned by e-mail, then erased; an
/// opt-in to commercial offers lapses after the last contact; a newsletter subscription is never touched. A restricted account is
/// stored only: neither warned nor erased. Members are read in chunks; on PostgreSQL one instance runs it at a time.
/// </summary>
public sealed partial class MemberRetention(
    IDbContextFactory<ConsentDbContext> dbFactory,
    ConsentDatabaseOptions database,
    CommunicationPreferences communications,
    MemberService members,
    MailService mail,
    IOptions<MemberRetentionOptions> options,
    TimeProvider time,
    ILogger<MemberRetention> log)
{
    /// <summary>The path the warning's link leads to: signing in is the contact that keeps the account.</summary>
    public const string SignInPath = "/members/signin";

    /// <summary>Who the audit trail and the erasure name for what the job does.</summary>
    public const string Actor = "system";

    /// <summary>The advisory lock's key on PostgreSQL while a run is under way ("mbretain" in ASCII).</summary>
    private const long RunLockKey = 0x6D6272657461696E;

    /// <summary>Members read per query: each chunk is a short statement, so a big community never holds a long read.</summary>
    public int ChunkSize { get; init; } = 200;

    /// <summary>
    /// Applies retention now: erases accounts past the inactivity period whose warning went out long enough ago, lapses offers
    /// opt-ins past their period, and warns accounts within <see cref="MemberRetentionOptions.WarningDays"/> of erasure, with a
    /// link under <paramref name="centerAddress"/>. A run that did something is audited (<c>members.retention</c>) and logged, in counts.
    /// </summary>
    public async Task<MemberRetentionRun> RunAsync(Uri centerAddress, CancellationToken ct = default)
    {
        await using var turn = await TryTakeTurnAsync(ct);
        if (turn is null)
        {
            LogSkipped(log);
            return new MemberRetentionRun(0, 0, 0, 0, Skipped: true);
        }

        var settings = options.Value;
        var now = Now();
        // Exactly the period ago is past it, on each rule, as for the consent log's retention.
        var inactiveSince = now.AddYears(-settings.InactiveAccountYears);
        var warnedBy = now.AddDays(-settings.WarningDays);
        var warnFrom = now.AddDays(settings.WarningDays).AddYears(-settings.InactiveAccountYears);
        var offersSince = now.AddYears(-settings.OffersLapseYears);

        // Erased first: an account that goes needs no expiry record appended just before.
        var erased = 0;
        await foreach (var member in CandidatesAsync(m => m.RestrictedAt == null && m.LastContactAt <= inactiveSince
            && m.InactivityWarnedAt != null && m.InactivityWarnedAt <= warnedBy, ct))
        {
            if (await members.EraseAsync(member.Id, ConsentSource.MemberRetention, Actor, "none", ct) is not null) erased++;
        }

        var lapsed = 0;
        await foreach (var member in CandidatesAsync(m => m.LastContactAt <= offersSince, ct))
        {
            if (await communications.ExpireAsync(member, CommunicationPurposes.Offers, ct) is not null) lapsed++;
        }

        var warned = 0;
        var failed = 0;
        await foreach (var member in CandidatesAsync(m => m.RestrictedAt == null && m.InactivityWarnedAt == null && m.LastContactAt <= warnFrom, ct))
        {
            if (await WarnAsync(member, centerAddress, now, settings, ct)) warned++;
            else failed++;
        }

        var run = new MemberRetentionRun(lapsed, warned, erased, failed);
        if (run.DidSomething)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            AuditTrail.Record(db, now, Actor, "members.retention", "Members", Log.LogLeaf.Time(now), null, new
            {
                offersLapsed = lapsed,
                warned,
                erased,
                warningsFailed = failed,
                offersLapseYears = settings.OffersLapseYears,
                inactiveAccountYears = settings.InactiveAccountYears,
                warningDays = settings.WarningDays,
            });
            await db.SaveChangesAsync(ct);
            LogRun(log, lapsed, warned, erased, failed);
        }
        return run;
    }

    /// <summary>The warning mail, in the member's language; true when it went and was recorded.</summary>
    private async Task<bool> WarnAsync(Member member, Uri centerAddress, DateTime now, MemberRetentionOptions settings, CancellationToken ct)
    {
        var culture = CultureInfo.GetCultureInfo(member.Language);
        // Erased at the end of the period, but never before the member has had the whole warning period.
        var erasureOn = Max(member.LastContactAt.AddYears(settings.InactiveAccountYears), now.AddDays(settings.WarningDays));
        var signIn = new Uri(centerAddress, SignInPath);
        var text = MemberTexts.In(culture, "Retention.Warning.Text", member.UserName, settings.InactiveAccountYears, erasureOn.ToString("D", culture), signIn.AbsoluteUri);
        try
        {
            await mail.SendAsync(new OutgoingMail(member.Email, MemberTexts.In(culture, "Retention.Warning.Subject"), text)
            {
                ToName = member.UserName,
                Category = MailCategory.Transactional,
            }, ct);
        }
        catch (Exception e) when (e is MailNotSentException or ValidationException)
        {
            // Not recorded, so the next run tries again, and the erasure waits for a warning that went.
            LogWarningFailed(log, e.GetType().Name);
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Only if nothing happened meanwhile: a sign-in while the mail was going out has already kept the account.
        var recorded = await db.Members
            .Where(m => m.Id == member.Id && m.InactivityWarnedAt == null && m.LastContactAt == member.LastContactAt)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.InactivityWarnedAt, now), ct);
        if (recorded == 1)
        {
            AuditTrail.Record(db, now, Actor, "member.inactivity-warning", "Member", member.Id, null, new { erasureFrom = Log.LogLeaf.Time(erasureOn) });
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    /// <summary>The members matching <paramref name="filter"/>, read <see cref="ChunkSize"/> at a time in id order.</summary>
    private async IAsyncEnumerable<Member> CandidatesAsync(System.Linq.Expressions.Expression<Func<Member, bool>> filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? after = null;
        while (true)
        {
            List<Member> chunk;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                var query = db.Members.AsNoTracking().Where(filter);
                if (after is not null) query = query.Where(m => string.Compare(m.Id, after) > 0);
                chunk = await query.OrderBy(m => m.Id).Take(ChunkSize).ToListAsync(ct);
            }
            foreach (var member in chunk) yield return member;
            if (chunk.Count < ChunkSize) yield break;
            after = chunk[^1].Id;
        }
    }

    /// <summary>
    /// On PostgreSQL, the run's lock on a connection of its own, or null when another instance holds it (that one does the work).
    /// SQLite serves one instance, which runs one job.
    /// </summary>
    private async Task<IAsyncDisposable?> TryTakeTurnAsync(CancellationToken ct)
    {
        if (database.Provider != DatabaseProvider.Postgres) return new NoLock();
        // Not pooled: closing the connection ends its session, and so releases the lock.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            take.Parameters.AddWithValue("key", RunLockKey);
            if (await take.ExecuteScalarAsync(ct) is true) return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    [LoggerMessage(EventId = 2070, EventName = "MemberRetentionRan", Level = LogLevel.Information,
        Message = "Members' retention: {OffersLapsed} offers opt-ins lapsed, {Warned} inactive accounts warned, {Erased} erased, {WarningsFailed} warnings not sent")]
    private static partial void LogRun(ILogger logger, int offersLapsed, int warned, int erased, int warningsFailed);

    [LoggerMessage(EventId = 2071, EventName = "MemberRetentionWarningFailed", Level = LogLevel.Warning,
        Message = "An inactivity warning was not sent ({Reason}); it is tried again on the next run, and the account is not erased before it went")]
    private static partial void LogWarningFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2072, EventName = "MemberRetentionSkipped", Level = LogLevel.Information,
        Message = "Members' retention is running on another instance; this one skips the run")]
    private static partial void LogSkipped(ILogger logger);
}
