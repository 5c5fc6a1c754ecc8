using Consent.Core.Persistence;
using Consent.Core.Requests;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Consent.Tests.Http;

/// <summary>
/// The app runs the register's daily run by itself, every hour on its clock: the DPO's reminder once a day from 08:00 Paris time, and the
/// clean-up. The clock starts on Sunday 29 November 2026, 10:00 UTC (11:00 in Paris).
/// </summary>
public sealed class RequestReminderJobTests() : AppTest(TestEngine.Sqlite)
{
    /// <summary>Where the reminder goes by default: <c>Consent:Dpo:Email</c> falls back to the controller's contact.</summary>
    private const string Dpo = "dpo@opendatasoft.com";

    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Consent:PublicUrl"] = "https://consent.example.org";
    }

    [Fact]
    public async Task The_app_reminds_the_DPO_once_a_day_from_eight_in_the_controllers_zone_with_links_to_its_public_address_and_cleans_up()
    {
        await AddOverdueRequestAsync(app, "R-LATE0004");
        var unverified = await AddUnverifiedRequestAsync(app, "R-UNVERIFY");

        var first = await AdvanceUntilRemindedAsync(1);
        var both = await AdvanceUntilRemindedAsync(2);
        var mails = await WaitForMailsToDpoAsync(2);

        Assert.Equal(new DateOnly(2026, 11, 29), Assert.Single(first).Day);
        Assert.Equal([new DateOnly(2026, 11, 29), new DateOnly(2026, 11, 30)], both.Select(r => r.Day));
        // Not at midnight: the hourly runs of the night sent nothing until eight on Monday.
        var secondAt = TimeZoneInfo.ConvertTimeFromUtc(both[1].SentAt, Paris);
        Assert.InRange(secondAt, new DateTime(2026, 11, 30, 8, 0, 0), new DateTime(2026, 11, 30, 12, 0, 0));
        // The twenty hourly runs between the two sent nothing more.
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.Contains("https://consent.example.org/admin/requests/R-LATE0004", m.TextBody));
        await using var db = NewContext(app);
        Assert.False(await db.RightsRequests.AnyAsync(r => r.Id == unverified.Id));
    }

    [Fact]
    public async Task With_reminders_disabled_the_app_neither_reminds_nor_cleans_up()
    {
        await AddOverdueRequestAsync(app, "R-LATE0004");
        var unverified = await AddUnverifiedRequestAsync(app, "R-UNVERIFY");
        await using var disabled = app.AnotherInstance();
        disabled.Settings["Consent:Requests:RemindersEnabled"] = "false";
        disabled.Log = new CapturedLog();

        using var started = disabled.CreateVisitorClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!disabled.Log.Entries.Any(e => e.EventId.Name == "RequestRemindersDisabled") && DateTime.UtcNow < deadline) await Task.Delay(50);
        disabled.Time.Advance(TimeSpan.FromDays(2));

        Assert.Contains(disabled.Log.Entries, e => e.EventId.Id == 2094);
        await using var db = NewContext(app);
        Assert.Empty(await db.RequestReminders.ToListAsync());
        Assert.True(await db.RightsRequests.AnyAsync(r => r.Id == unverified.Id));
        Assert.False(Directory.Exists(disabled.MailPickup) && Directory.EnumerateFiles(disabled.MailPickup, "*.eml").Any());
    }

    private static ConsentDbContext NewContext(ConsentAppFactory instance) =>
        instance.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContext();

    /// <summary>An open access request received on Monday 26 October, so due on Thursday 26 November: overdue.</summary>
    private static async Task AddOverdueRequestAsync(ConsentAppFactory instance, string reference)
    {
        var receivedAt = new DateTime(2026, 10, 26, 9, 0, 0, DateTimeKind.Utc);
        var deadlines = instance.Services.GetRequiredService<RequestDeadlines>();
        await using var db = NewContext(instance);
        db.RightsRequests.Add(new RightsRequest
        {
            Reference = reference,
            Type = RequestType.Access,
            Status = RequestStatus.Open,
            Email = "requester@example.org",
            Language = "en",
            FiledAt = receivedAt,
            ReceivedAt = receivedAt,
            FirstDueOn = deadlines.DueOn(receivedAt),
            DueOn = deadlines.DueOn(receivedAt),
        });
        await db.SaveChangesAsync();
    }

    /// <summary>A request filed 8 days ago whose e-mail was never confirmed: past <c>UnverifiedDays</c>.</summary>
    private static async Task<RightsRequest> AddUnverifiedRequestAsync(ConsentAppFactory instance, string reference)
    {
        var request = new RightsRequest
        {
            Reference = reference,
            Type = RequestType.Erasure,
            Status = RequestStatus.AwaitingVerification,
            Email = "someone@example.org",
            Language = "en",
            FiledAt = instance.Time.GetUtcNow().UtcDateTime.AddDays(-8),
        };
        await using var db = NewContext(instance);
        db.RightsRequests.Add(request);
        await db.SaveChangesAsync();
        return request;
    }

    private List<MimeMessage> MailsToDpo() =>
        !Directory.Exists(app.MailPickup) ? [] : [.. Directory.GetFiles(app.MailPickup, "*.eml").Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(t => t.Address == Dpo)).OrderBy(m => m.Date)];

    /// <summary>The mails to the DPO once there are <paramref name="count"/>: the day's row is stored before its mail goes.</summary>
    private async Task<List<MimeMessage>> WaitForMailsToDpoAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var mails = MailsToDpo();
        while (mails.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            mails = MailsToDpo();
        }
        return mails;
    }

    /// <summary>Moves the clock an hour at a time until <paramref name="count"/> days' reminders are stored.</summary>
    private Task<List<RequestReminder>> AdvanceUntilRemindedAsync(int count) =>
        app.Time.AdvanceUntilAsync(TimeSpan.FromHours(1), RemindersAsync, reminders => reminders.Count >= count);

    private async Task<List<RequestReminder>> RemindersAsync()
    {
        await using var db = NewContext(app);
        return await db.RequestReminders.AsNoTracking().OrderBy(r => r.Day).ToListAsync();
    }
}
