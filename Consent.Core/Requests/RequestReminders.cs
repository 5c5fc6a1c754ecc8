using Consent.Core.Audit;
using Consent.Core.Mail;
using Consent.Core.Persistence;
using Consent.Core.PrivacyPolicy;
using Consent.Core.PrivacyTeam;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consent.Core.Requests;

/// <summary>
/// The register's daily run: once a controller's day, from <see cref="RequestOptions.ReminderHour"/>, a reminder to the DPO listing the
/// pending requests overdue or due within <see cref="RequestOptions.DueSoonDays"/>; and on every run the clean-up, which deletes requests
/// never verified <see cref="RequestOptions.UnverifiedDays"/> after filing and closed ones <see cref="RequestOptions.ClosedRetentionYears"/>
/// after closing, and removes the content of files whose link has expired or that were never sent.
/// With several instances, the one that stores the day's <see cref="RequestReminder"/> sends the reminder.
/// </summary>
public sealed partial class RequestReminders(
    IDbContextFactory<ConsentDbContext> dbFactory,
    TeamAccounts team,
    RequestDeadlines deadlines,
    RequestMails mails,
    IOptions<RequestOptions> options,
    IOptions<PrivacyPolicyOptions> policy,
    TimeProvider time,
    ILogger<RequestReminders> log)
{
    /// <summary>Who the audit trail names for what the run does.</summary>
    public const string Actor = "system";

    /// <summary>Cleans up, then sends the day's reminder if it is due and not sent yet, with links under <paramref name="center"/>.</summary>
    public async Task<RequestReminderRun> RunAsync(Uri center, CancellationToken ct = default)
    {
        var now = Now();
        var (purged, closedDeleted, filesRemoved) = await CleanUpAsync(now, ct);
        var (listed, recipients) = await RemindAsync(center, now, ct);
        var run = new RequestReminderRun(listed, recipients, purged, filesRemoved, closedDeleted);
        if (run.DidSomething) LogRun(log, listed, recipients.Count, purged, closedDeleted, filesRemoved);
        return run;
    }

    private async Task<(int Purged, int ClosedDeleted, int FilesRemoved)> CleanUpAsync(DateTime now, CancellationToken ct)
    {
        var settings = options.Value;
        // Exactly the period after filing is past it, as for the members' retention.
        var filedBy = now.AddDays(-settings.UnverifiedDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Never in the register, so nothing to keep; their events go with them (ON DELETE CASCADE).
        var purged = await db.RightsRequests
            .Where(r => r.Status == RequestStatus.AwaitingVerification && r.FiledAt <= filedBy)
            .ExecuteDeleteAsync(ct);
        var closedBy = now.AddYears(-settings.ClosedRetentionYears);
        var closedDeleted = await db.RightsRequests
            .Where(r => r.ClosedAt != null && r.ClosedAt <= closedBy)
            .ExecuteDeleteAsync(ct);
        // The file's row stays, so the request's history still names what was sent and when. A file never sent by the time its
        // request closed (refused, withdrawn) will never be: its content goes too.
        var filesRemoved = await db.RequestFiles
            .Where(f => f.Content != null && ((f.ExpiresAt != null && f.ExpiresAt <= now)
                || (f.SentAt == null && db.RightsRequests.Any(r => r.Id == f.RequestId && r.ClosedAt != null))))
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Content, (byte[]?)null), ct);
        if (purged > 0 || closedDeleted > 0 || filesRemoved > 0)
        {
            AuditTrail.Record(db, now, Actor, "request.purge", "RightsRequests", Log.LogLeaf.Time(now), null, new
            {
                unverifiedDeleted = purged,
                closedDeleted,
                filesRemoved,
                unverifiedDays = settings.UnverifiedDays,
                closedRetentionYears = settings.ClosedRetentionYears,
            });
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return (purged, closedDeleted, filesRemoved);
    }

    private async Task<(int Listed, IReadOnlyList<string> Recipients)> RemindAsync(Uri center, DateTime now, CancellationToken ct)
    {
        var settings = options.Value;
        var today = deadlines.DayOf(now);
        if (deadlines.HourOf(now) < settings.ReminderHour) return (0, []);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.RequestReminders.AnyAsync(r => r.Day == today, ct)) return (0, []);

        var lastDay = today.AddDays(settings.DueSoonDays);
        RequestStatus[] pending = [.. RequestVocabulary.Pending];
        var due = await db.RightsRequests.AsNoTracking()
            .Where(r => pending.Contains(r.Status) && r.DueOn != null && r.DueOn <= lastDay)
            .OrderBy(r => r.DueOn).ThenBy(r => r.ReceivedAt).ThenBy(r => r.Reference)
            .Select(r => new { r.Reference, r.Type, r.Status, r.DueOn, r.AssignedTo })
            .ToListAsync(ct);
        if (due.Count == 0) return (0, []);
        var requests = due.Select(r => new RemindedRequest(r.Reference, r.Type, r.Status, r.DueOn!.Value, r.DueOn.Value.DayNumber - today.DayNumber, r.AssignedTo)).ToList();
        var recipients = await RecipientsAsync(ct);
        if (recipients.Count == 0) return (0, []);

        // The day's row first: another instance that stored it sends today's reminder, and this one nothing.
        db.RequestReminders.Add(new RequestReminder { Day = today, SentAt = now, Listed = requests.Count });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await using var check = await dbFactory.CreateDbContextAsync(ct);
            if (!await check.RequestReminders.AnyAsync(r => r.Day == today, ct)) throw;
            LogSentElsewhere(log);
            return (0, []);
        }

        var sent = new List<string>();
        try
        {
            foreach (var to in recipients)
            {
                try
                {
                    await mails.SendReminderAsync(to, requests, settings.DueSoonDays, center, ct);
                    sent.Add(to);
                }
                catch (Exception e) when (e is MailNotSentException or ValidationException)
                {
                    LogMailFailed(log, e.GetType().Name);
                }
            }
        }
        finally
        {
            if (sent.Count == 0)
            {
                // Nobody has it: without the day's row the next run tries again. When some had it, the row stays, so none gets it twice.
                await using var undo = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                await undo.RequestReminders.Where(r => r.Day == today).ExecuteDeleteAsync(CancellationToken.None);
            }
        }
        return sent.Count == 0 ? (0, []) : (requests.Count, sent);
    }

    /// <summary>The DPO's address (<c>Consent:Dpo:Email</c>, else the controller's contact) and every account with the DPO role, each once.</summary>
    private async Task<IReadOnlyList<string>> RecipientsAsync(CancellationToken ct)
    {
        var addresses = new List<string>();
        if (policy.Value.Dpo.Email is { Length: > 0 } dpo) addresses.Add(dpo.Trim());
        addresses.AddRange(await team.EmailsInRolesAsync([TeamRoles.Dpo], ct));
        return [.. addresses.Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    [LoggerMessage(EventId = 2090, EventName = "RequestRemindersRan", Level = LogLevel.Information,
        Message = "Rights requests' daily run: a reminder listing {Listed} requests sent to {Recipients} addresses, {Purged} unverified requests deleted, {ClosedDeleted} closed requests past their retention deleted, {FilesRemoved} files' content removed")]
    private static partial void LogRun(ILogger logger, int listed, int recipients, int purged, int closedDeleted, int filesRemoved);

    [LoggerMessage(EventId = 2091, EventName = "RequestReminderMailFailed", Level = LogLevel.Warning,
        Message = "The DPO's reminder was not sent to one of its addresses ({Reason}); when it reached none, the next run tries again")]
    private static partial void LogMailFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2092, EventName = "RequestReminderSentElsewhere", Level = LogLevel.Information,
        Message = "Today's reminder to the DPO is sent by another instance")]
    private static partial void LogSentElsewhere(ILogger logger);
}
