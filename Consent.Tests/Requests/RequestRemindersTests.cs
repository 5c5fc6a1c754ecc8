using Consent.Core.Audit;
using Consent.Core.Persistence;
using Consent.Core.PrivacyTeam;
using Consent.Core.Requests;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Consent.Tests.Requests;

/// <summary>
/// The register's daily run on the real app's services (Identity for the DPO accounts) with its job off, run by hand on the app's
/// clock: the DPO's reminder from 08:00 Paris time (<c>ReminderHour</c> 8, <c>DueSoonDays</c> 7) through a real SMTP server, once a
/// day across instances; and the clean-up of requests never verified (<c>UnverifiedDays</c> 7) and of expired files.
/// The clock starts on Sunday 29 November 2026, 10:00 UTC; "today" in the reminders is Monday 30 November.
/// </summary>
public abstract class RequestRemindersTests(TestEngine engine) : AppTest(engine), IAsyncLifetime
{
    public sealed class OnSqlite() : RequestRemindersTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : RequestRemindersTests(TestEngine.Postgres);

    private const string Dpo = "dpo@example.org";
    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);
    private static readonly Uri Center = new("https://consent.example.org");
    private static readonly byte[] Content = "{\"profile\":{\"email\":\"ada@example.org\"}}"u8.ToArray();

    /// <summary>Monday 30 November 2026, 08:00 in Paris (UTC+1).</summary>
    private static readonly DateTime MondayAtEight = new(2026, 11, 30, 7, 0, 0, DateTimeKind.Utc);

    private SmtpInbox inbox = null!;
    private bool inboxStopped;

    public new async ValueTask InitializeAsync()
    {
        inbox = await SmtpInbox.StartAsync();
        await base.InitializeAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!inboxStopped) await inbox.DisposeAsync();
    }

    protected override void Configure(IDictionary<string, string> settings)
    {
        foreach (var (key, value) in inbox.Settings()) settings[key] = value;
        settings["Consent:Dpo:Email"] = Dpo;
        // The test runs it by hand; the job would run it too as the clock moves.
        settings["Consent:Requests:RemindersEnabled"] = "false";
    }

    private T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    private Task<RequestReminderRun> RunAsync() => Get<RequestReminders>().RunAsync(Center);

    /// <summary>The clock moved to <paramref name="at"/>, which lies ahead.</summary>
    private void MoveTo(DateTime at) => app.Time.Advance(at - app.Time.GetUtcNow().UtcDateTime);

    private DateTime Now => app.Time.GetUtcNow().UtcDateTime;

    private static DateTime Utc(int month, int day) => new(2026, month, day, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>A request in the register, received at <paramref name="receivedAt"/>, due as <see cref="RequestDeadlines"/> says.</summary>
    private async Task<RightsRequest> AddRequestAsync(string reference, DateTime receivedAt, RequestStatus status = RequestStatus.Open,
        RequestType type = RequestType.Access, string? assignedTo = null, int extensionMonths = 0)
    {
        var deadlines = Get<RequestDeadlines>();
        var request = NewRequest(reference, receivedAt, status, type);
        request.ReceivedAt = receivedAt;
        request.FirstDueOn = deadlines.DueOn(receivedAt);
        request.DueOn = deadlines.DueOn(receivedAt, 1 + extensionMonths);
        request.ExtensionMonths = extensionMonths;
        request.AssignedTo = assignedTo;
        if (RequestVocabulary.IsClosed(status)) request.ClosedAt = receivedAt.AddDays(3);
        return await StoreAsync(request);
    }

    /// <summary>A request filed at <paramref name="filedAt"/> whose e-mail was never confirmed, with its "filed" event.</summary>
    private async Task<RightsRequest> AddUnverifiedAsync(string reference, DateTime filedAt)
    {
        var request = await StoreAsync(NewRequest(reference, filedAt, RequestStatus.AwaitingVerification, RequestType.Erasure));
        await using var db = NewContext();
        db.RequestEvents.Add(new RequestEvent { RequestId = request.Id, At = filedAt, Actor = "requester", Kind = RequestEventKinds.Filed });
        await db.SaveChangesAsync();
        return request;
    }

    private static RightsRequest NewRequest(string reference, DateTime filedAt, RequestStatus status, RequestType type) => new()
    {
        Reference = reference,
        Type = type,
        Status = status,
        Email = $"{reference.ToLowerInvariant()}@requester.example",
        Name = $"Requester {reference}",
        Language = "en",
        Details = $"Private details of {reference}",
        FiledAt = filedAt,
    };

    private async Task<RightsRequest> StoreAsync(RightsRequest request)
    {
        await using var db = NewContext();
        db.RightsRequests.Add(request);
        await db.SaveChangesAsync();
        return request;
    }

    private ConsentDbContext NewContext() => Get<IDbContextFactory<ConsentDbContext>>().CreateDbContext();

    private async Task<List<RequestReminder>> StoredRemindersAsync()
    {
        await using var db = NewContext();
        return await db.RequestReminders.AsNoTracking().OrderBy(r => r.Day).ToListAsync();
    }

    private async Task<List<AuditEntry>> PurgesAsync()
    {
        await using var db = NewContext();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == "request.purge").OrderBy(a => a.Id).ToListAsync();
    }

    private static string TextOf(MimeMessage mail) => (mail.TextBody ?? "").ReplaceLineEndings("\n");

    private IReadOnlyList<MimeMessage> MailsTo(string address) =>
        [.. inbox.Messages.Where(m => m.To.Mailboxes.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Overdue, due today, tomorrow, in 2 and in 7 days; then due in 9 days, closed, and one never verified.</summary>
    private async Task AddTheRegisterAsync()
    {
        await AddRequestAsync("R-LATER009", Utc(11, 9));
        await AddRequestAsync("R-SOON0007", Utc(11, 6), type: RequestType.Portability);
        await AddRequestAsync("R-TODAY000", Utc(10, 30), RequestStatus.InProgress, RequestType.Erasure, assignedTo: "ana@example.org");
        await AddRequestAsync("R-SOON0002", Utc(11, 2), RequestStatus.Extended, RequestType.AutomatedDecision);
        await AddRequestAsync("R-LATE0004", Utc(10, 26), type: RequestType.Rectification);
        await AddRequestAsync("R-SOON0001", Utc(11, 1));
        await AddRequestAsync("R-ANSWERED", Utc(10, 20), RequestStatus.Answered);
        await AddRequestAsync("R-REFUSED0", Utc(10, 21), RequestStatus.Refused);
        await AddRequestAsync("R-EXTENDED", Utc(10, 22), RequestStatus.Extended, extensionMonths: 2);
        await AddUnverifiedAsync("R-UNVERIFY", Utc(11, 28));
    }

    [Fact]
    public async Task Before_eight_in_the_controllers_zone_nothing_is_sent_and_from_eight_one_mail_lists_the_due_soon_and_overdue_requests_most_urgent_first()
    {
        await AddTheRegisterAsync();

        MoveTo(MondayAtEight - Microsecond);
        var early = await RunAsync();
        var mailedEarly = inbox.Messages.Count;
        MoveTo(MondayAtEight);
        var due = await RunAsync();

        Assert.Equal((0, 0, 0), (early.Listed, early.Recipients.Count, mailedEarly));
        Assert.Equal(5, due.Listed);
        Assert.Equal([Dpo], due.Recipients);
        var mail = Assert.Single(inbox.Messages);
        Assert.Equal("Rights requests: 1 overdue, 4 due within 7 days", mail.Subject);
        var text = TextOf(mail);
        var html = mail.HtmlBody ?? "";
        string[] expected =
        [
            "R-LATE0004 · rectification · open\nDue on 2026-11-26: overdue by 4 days; not assigned\nhttps://consent.example.org/admin/requests/R-LATE0004",
            "R-TODAY000 · erasure · in-progress\nDue on 2026-11-30: due today; assigned to ana@example.org\nhttps://consent.example.org/admin/requests/R-TODAY000",
            "R-SOON0001 · access · open\nDue on 2026-12-01: due in 1 day; not assigned\nhttps://consent.example.org/admin/requests/R-SOON0001",
            "R-SOON0002 · automated-decision · extended\nDue on 2026-12-02: due in 2 days; not assigned\nhttps://consent.example.org/admin/requests/R-SOON0002",
            // Sunday 6 December moves to Monday 7: the last day of the seven.
            "R-SOON0007 · portability · open\nDue on 2026-12-07: due in 7 days; not assigned\nhttps://consent.example.org/admin/requests/R-SOON0007",
        ];
        var positions = expected.Select(e => text.IndexOf(e, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, $"Missing from the reminder:\n{text}"));
        Assert.Equal(positions.Order(), positions);
        Assert.EndsWith("https://consent.example.org/admin/requests", text.TrimEnd());
        Assert.Contains("href=\"https://consent.example.org/admin/requests\"", html);
        foreach (var absent in new[] { "R-LATER009", "R-ANSWERED", "R-REFUSED0", "R-EXTENDED", "R-UNVERIFY", "@requester.example", "Requester ", "Private details" })
        {
            Assert.DoesNotContain(absent, text);
            Assert.DoesNotContain(absent, html);
        }
        var day = Assert.Single(await StoredRemindersAsync());
        Assert.Equal((new DateOnly(2026, 11, 30), MondayAtEight, 5), (day.Day, day.SentAt, day.Listed));
    }

    [Fact]
    public async Task A_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again()
    {
        await AddTheRegisterAsync();
        MoveTo(MondayAtEight);
        await RunAsync();

        app.Time.Advance(TimeSpan.FromHours(15));
        var sameDay = await RunAsync();
        app.Time.Advance(TimeSpan.FromHours(1));
        var nextDayAtMidnight = await RunAsync();
        MoveTo(MondayAtEight.AddDays(1));
        var nextDay = await RunAsync();

        Assert.Equal((0, 0), (sameDay.Listed, sameDay.Recipients.Count));
        Assert.Equal((0, 0), (nextDayAtMidnight.Listed, nextDayAtMidnight.Recipients.Count));
        Assert.Equal(5, nextDay.Listed);
        Assert.Equal(2, MailsTo(Dpo).Count);
        Assert.Contains("R-SOON0001 · access · open\nDue on 2026-12-01: due today;", TextOf(MailsTo(Dpo)[1]));
        Assert.Contains("overdue by 5 days", TextOf(MailsTo(Dpo)[1]));
        Assert.Equal([new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 1)], (await StoredRemindersAsync()).Select(r => r.Day));
    }

    [Fact]
    public async Task Nothing_due_sends_no_mail_stores_no_day_and_audits_nothing()
    {
        await AddRequestAsync("R-LATER009", Utc(11, 9));
        await AddRequestAsync("R-ANSWERED", Utc(10, 20), RequestStatus.Answered);
        await AddRequestAsync("R-WITHDRAW", Utc(10, 20), RequestStatus.Withdrawn);
        MoveTo(MondayAtEight);

        var run = await RunAsync();

        Assert.Equal((0, 0, 0, 0), (run.Listed, run.Recipients.Count, run.Purged, run.FilesRemoved));
        Assert.False(run.DidSomething);
        Assert.Empty(inbox.Messages);
        Assert.Empty(await StoredRemindersAsync());
        Assert.Empty(await PurgesAsync());
    }

    [Fact]
    public async Task The_configured_DPO_address_and_every_DPO_account_receive_it_once_and_no_other_account_does()
    {
        await app.CreateMemberAsync("DPO@Example.org", TeamRoles.Dpo, "dpo password 123456");
        await app.CreateMemberAsync("deputy@example.org", TeamRoles.Dpo, "deputy password 123456");
        await app.CreateMemberAsync("analyst@example.org", TeamRoles.Analyst, "analyst password 123456");
        await AddRequestAsync("R-LATE0004", Utc(10, 26));
        MoveTo(MondayAtEight);

        var run = await RunAsync();

        Assert.Equal([Dpo, "deputy@example.org"], run.Recipients);
        Assert.Single(MailsTo(Dpo));
        Assert.Single(MailsTo("deputy@example.org"));
        Assert.Equal(2, inbox.Messages.Count);
        Assert.All(inbox.Messages, m => Assert.Single(m.To.Mailboxes));
        Assert.Empty(MailsTo("analyst@example.org"));
        Assert.Empty(MailsTo(ConsentAppFactory.AdminEmail));
    }

    [Fact]
    public async Task A_reminder_no_one_received_leaves_no_day_behind_so_a_later_run_sends_it()
    {
        await AddRequestAsync("R-LATE0004", Utc(10, 26));
        MoveTo(MondayAtEight);
        await inbox.DisposeAsync();
        inboxStopped = true;

        var failed = await RunAsync();
        await using var second = await SmtpInbox.StartAsync();
        await using var later = app.AnotherInstance();
        foreach (var (key, value) in second.Settings()) later.Settings[key] = value;
        later.Time.Advance(TimeSpan.FromHours(1));
        var retried = await later.Services.GetRequiredService<RequestReminders>().RunAsync(Center);

        Assert.Equal((0, 0), (failed.Listed, failed.Recipients.Count));
        Assert.Equal([Dpo], retried.Recipients);
        Assert.Contains("R-LATE0004", TextOf(await second.WaitForMailToAsync(Dpo)));
        Assert.Single(await StoredRemindersAsync());
    }

    [Fact]
    public async Task Two_instances_running_it_at_once_send_one_reminder()
    {
        await app.CreateMemberAsync("deputy@example.org", TeamRoles.Dpo, "deputy password 123456");
        await AddRequestAsync("R-LATE0004", Utc(10, 26));
        MoveTo(MondayAtEight);
        await using var other = app.AnotherInstance();
        var first = Get<RequestReminders>();
        var second = other.Services.GetRequiredService<RequestReminders>();

        var runs = await Task.WhenAll(Task.Run(() => first.RunAsync(Center)), Task.Run(() => second.RunAsync(Center)));

        Assert.Single(runs, r => r.Recipients.Count > 0);
        Assert.Single(MailsTo(Dpo));
        Assert.Single(MailsTo("deputy@example.org"));
        Assert.Single(await StoredRemindersAsync());
    }

    [Fact]
    public async Task A_request_never_verified_is_deleted_with_its_events_exactly_unverified_days_after_filing_and_not_a_microsecond_before()
    {
        var filedAt = Now;
        var unverified = await AddUnverifiedAsync("R-UNVERIFY", filedAt);
        await AddRequestAsync("R-VERIFIED", filedAt);
        app.Time.Advance(Microsecond);
        await AddUnverifiedAsync("R-UNVERLAT", Now);

        MoveTo(filedAt.AddDays(7) - Microsecond);
        var early = await RunAsync();
        app.Time.Advance(Microsecond);
        var due = await RunAsync();

        Assert.Equal(0, early.Purged);
        Assert.Equal(1, due.Purged);
        await using var db = NewContext();
        Assert.Equal(["R-UNVERLAT", "R-VERIFIED"], await db.RightsRequests.OrderBy(r => r.Reference).Select(r => r.Reference).ToListAsync());
        Assert.False(await db.RequestEvents.AnyAsync(e => e.RequestId == unverified.Id));
        var purge = Assert.Single(await PurgesAsync());
        Assert.Equal(("system", "RightsRequests"), (purge.Actor, purge.EntityType));
        Assert.Contains("\"unverifiedDeleted\":1", purge.After);
        Assert.DoesNotContain("R-UNVERIFY", purge.After);
        Assert.DoesNotContain("requester.example", purge.After);
    }

    [Fact]
    public async Task An_expired_files_content_is_removed_and_a_live_one_kept()
    {
        var request = await AddRequestAsync("R-ANSWERED", Utc(11, 20), RequestStatus.Answered);
        var pending = await AddRequestAsync("R-PENDING2", Utc(11, 20));
        var expiredAt = Now.AddDays(14);
        var expired = await AddFileAsync(request, expiresAt: expiredAt);
        var live = await AddFileAsync(request, expiresAt: expiredAt + Microsecond);
        var notSent = await AddFileAsync(pending, expiresAt: null);

        MoveTo(expiredAt);
        var run = await RunAsync();

        Assert.Equal(1, run.FilesRemoved);
        await using var db = NewContext();
        var files = await db.RequestFiles.AsNoTracking().ToDictionaryAsync(f => f.Id);
        Assert.Null(files[expired.Id].Content);
        Assert.Equal("export.json", files[expired.Id].FileName);
        Assert.Equal(Content, files[live.Id].Content);
        Assert.Equal(Content, files[notSent.Id].Content);
        Assert.Contains("\"filesRemoved\":1", Assert.Single(await PurgesAsync()).After);
        Assert.Equal(0, (await RunAsync()).FilesRemoved);
    }

    [Fact]
    public async Task A_closed_request_is_deleted_with_its_history_and_files_five_years_after_it_closed_and_not_a_microsecond_before()
    {
        var old = await AddRequestAsync("R-CLOSEDOL", Utc(11, 20), RequestStatus.Answered);
        var recent = await AddRequestAsync("R-CLOSEDNW", Utc(11, 20), RequestStatus.Refused);
        await AddFileAsync(old, expiresAt: null);
        await using (var context = NewContext())
        {
            await context.RightsRequests.Where(r => r.Id == recent.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ClosedAt, old.ClosedAt!.Value.AddMicroseconds(1)));
        }

        MoveTo(old.ClosedAt!.Value.AddYears(5));
        var run = await RunAsync();

        Assert.Equal(1, run.ClosedDeleted);
        await using var db = NewContext();
        Assert.Equal(["R-CLOSEDNW"], await db.RightsRequests.Where(r => r.Reference.StartsWith("R-CLOSED")).Select(r => r.Reference).ToListAsync());
        Assert.False(await db.RequestFiles.AnyAsync(f => f.RequestId == old.Id));
        Assert.Contains("\"closedDeleted\":1", Assert.Single(await PurgesAsync()).After);
    }

    [Fact]
    public async Task A_file_never_sent_loses_its_content_once_its_request_is_closed()
    {
        var refused = await AddRequestAsync("R-REFUSED2", Utc(11, 20), RequestStatus.Refused);
        var pending = await AddRequestAsync("R-PENDING3", Utc(11, 20));
        var unsentOfRefused = await AddFileAsync(refused, expiresAt: null);
        var unsentOfPending = await AddFileAsync(pending, expiresAt: null);

        var run = await RunAsync();

        Assert.Equal(1, run.FilesRemoved);
        await using var db = NewContext();
        var files = await db.RequestFiles.AsNoTracking().ToDictionaryAsync(f => f.Id);
        Assert.Null(files[unsentOfRefused.Id].Content);
        Assert.Equal(Content, files[unsentOfPending.Id].Content);
    }

    private async Task<RequestFile> AddFileAsync(RightsRequest request, DateTime? expiresAt)
    {
        var file = new RequestFile
        {
            RequestId = request.Id,
            FileName = "export.json",
            ContentType = "application/json",
            Content = Content,
            CreatedAt = Now,
            TokenHash = expiresAt is null ? null : Convert.ToHexString(Guid.NewGuid().ToByteArray()),
            SentAt = expiresAt is null ? null : Now,
            ExpiresAt = expiresAt,
        };
        await using var db = NewContext();
        db.RequestFiles.Add(file);
        await db.SaveChangesAsync();
        return file;
    }
}
